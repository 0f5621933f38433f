using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Api.Smart;

/// <summary>
/// A transaction or batch needs, for every entry, the scope its interaction would need alone
/// (POST c, PUT and PATCH u, DELETE d, GET r); the first entry without it makes the request 403.
/// </summary>
public static class BundleScopes
{
    public static void Check(Bundle bundle, SmartScopes scopes)
    {
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var request = bundle.Entry[i].Request;
            if (request?.Url is not { } url || request.Method is not { } method)
            {
                continue;
            }

            var type = url.Split('/', '?')[0];
            var interaction = method switch
            {
                Bundle.HTTPVerb.POST => "create",
                Bundle.HTTPVerb.PUT => "update",
                Bundle.HTTPVerb.PATCH => "patch",
                Bundle.HTTPVerb.DELETE => "delete",
                _ => url.Contains('?', StringComparison.Ordinal) ? "search-type" : "read",
            };
            // The same table as the single interactions use, so an entry needs what its interaction alone would.
            if (ScopeRequirement.PermissionFor(interaction) is { } permission && !scopes.Permits(type, permission))
            {
                throw new FhirException(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                    $"Entry {i} ({method} {url}) needs scope system/{type}.{permission}, which the access token does not have.",
                    $"Bundle.entry[{i}].request");
            }
        }
    }
}
