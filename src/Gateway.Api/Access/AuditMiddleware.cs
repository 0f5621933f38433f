using Gateway.Api.Fhir;
using Gateway.Api.Smart;
using Gateway.Fhir.Audit;

namespace Gateway.Api.Access;

/// <summary>
/// Every read, search, write and token request becomes an AuditEvent (SPEC §8), on /fhir and on
/// the record API; discovery, the CapabilityStatement and the health probes are not audited. The
/// console's requests are, with the operator as the client. No response leaves before its
/// AuditEvent is committed (<see cref="RequestAudit"/>); one that cannot be stored cuts the
/// connection instead.
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
        if (interaction is null)
        {
            await next(context);
            return;
        }

        var audit = new RequestAudit(context, interaction, context.Request.RouteValues["type"] as string, context.Request.RouteValues["id"] as string);
        // OnStarting rather than a wrapped body: Kestrel runs it, awaited, at the first flush or
        // write of every kind of response (minimal API results, the streamed search page, the
        // record batch report, export downloads, an empty 204), with the status final and the
        // headers not yet sent; a write to the body before then only fills Kestrel's buffer.
        // So the one wait is before the first byte, and a long stream is not held back after it.
        context.Response.OnStarting(RequestAudit.BeforeResponse, audit);
        try
        {
            await next(context);
        }
        finally
        {
            // A response that has not started by now (the pipeline failed, or left it to the
            // server to finish) is stored here, with the status it ends with, as before.
            try
            {
                await audit.StoreAsync();
            }
            catch (AuditTrailUnavailableException e)
            {
                audit.Withhold(e);
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
