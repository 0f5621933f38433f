using Gateway.Api.Fhir;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Api.Smart;

/// <summary>
/// The SMART permission each FHIR interaction needs (c r u d s), checked before the handler runs;
/// a token without it gets 403 with an OperationOutcome naming the scope to ask for.
/// </summary>
public static class ScopeRequirement
{
    public static char? PermissionFor(string interaction) => interaction switch
    {
        "read" or "vread" or "history-instance" or "history-type" or "history-system" => 'r',
        "search-type" => 's',
        "create" => 'c',
        "update" or "patch" => 'u',
        "delete" => 'd',
        _ => null,
    };

    public static ValueTask<object?> Check(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var interaction = http.GetEndpoint()?.Metadata.GetMetadata<FhirInteraction>();
        if (interaction is not null && PermissionFor(interaction.Code) is { } permission && http.Caller() is { } caller)
        {
            var type = http.Request.RouteValues["type"] as string ?? "*";
            // The implementation guide is published for every partner to read, whatever its scopes.
            var publishedGuide = GatewayGuide.IsReadOnly(type) && permission is 'r' or 's';
            if (!publishedGuide && !caller.Scopes.Permits(type, permission))
            {
                throw new FhirException(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                    $"The access token does not allow {interaction.Code} on {type}: request a token with scope system/{type}.{permission} (or wider).");
            }
        }

        return next(context);
    }
}
