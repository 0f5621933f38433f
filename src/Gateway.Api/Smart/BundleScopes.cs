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
            var permission = method switch
            {
                Bundle.HTTPVerb.POST => 'c',
                Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.PATCH => 'u',
                Bundle.HTTPVerb.DELETE => 'd',
                _ => url.Contains('?', StringComparison.Ordinal) ? 's' : 'r',
            };
            if (!scopes.Permits(type, permission))
            {
                throw new FhirException(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                    $"Entry {i} ({method} {url}) needs scope system/{type}.{permission}, which the access token does not have.",
                    $"Bundle.entry[{i}].request");
            }
        }
    }
}
