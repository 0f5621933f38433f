using Gateway.Api.Fhir;
using Gateway.Api.Smart;
using Gateway.Fhir.Audit;

namespace Gateway.Api.Access;

/// <summary>
/// Every read, search, write and token request becomes an audit record after its response is
/// known (SPEC §8), on /fhir and on the record API; discovery, the CapabilityStatement and the
/// health probes are not audited. The console's requests are, with the operator as the client.
/// </summary>
public static class AuditMiddleware
{
    public const string TokenClientItem = "audit.token-client";

    /// <summary>Set by a handler to the "Type/id" it acted on, when the route does not say.</summary>
    public const string ActedOnItem = "audit.acted-on";

    public static async Task Record(HttpContext context, RequestDelegate next)
    {
        // Taken before the request runs: the exception handler clears the endpoint and route values.
        var interaction = Interaction(context);
        var type = context.Request.RouteValues["type"] as string;
        var id = context.Request.RouteValues["id"] as string;
        try
        {
            await next(context);
        }
        finally
        {
            if (interaction is not null)
            {
                // A console action names what it acted on, which its route does not ("Subscription/{id}").
                if (context.Items[ActedOnItem] is string actedOn && actedOn.Split('/', 2) is [var actedType, var actedId])
                {
                    (type, id) = (actedType, actedId);
                }

                var caller = context.Caller();
                var clientId = caller?.ClientId ?? context.Items[TokenClientItem] as string;
                var record = new AuditRecord(
                    context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
                    clientId,
                    caller?.PartnerId,
                    context.Request.Method,
                    interaction,
                    type,
                    id,
                    context.Request.QueryString.HasValue ? context.Request.QueryString.Value!.TrimStart('?') : null,
                    context.Response.StatusCode,
                    context.Connection.RemoteIpAddress?.ToString());
                await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(record, CancellationToken.None);
            }
        }
    }

    private static string? Interaction(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(TokenEndpoint.Path))
        {
            return "token";
        }

        // The partner record API writes and reads clinical data too: records in, referrals out.
        if (path.StartsWithSegments("/records"))
        {
            return HttpMethods.IsGet(context.Request.Method) ? "read" : "create";
        }

        // The operator console shows and replays partners' records: audited like the record API, the operator as the client.
        if (path.StartsWithSegments("/console") && !path.StartsWithSegments("/console/console.css"))
        {
            return HttpMethods.IsGet(context.Request.Method) ? "read" : "create";
        }

        if (!path.StartsWithSegments("/fhir") || path.StartsWithSegments("/fhir/metadata") || path.StartsWithSegments("/fhir/.well-known"))
        {
            return null;
        }

        return context.GetEndpoint()?.Metadata.GetMetadata<FhirInteraction>()?.Code ?? "unknown";
    }
}
