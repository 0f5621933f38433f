using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// Conditional references such as <c>Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|M85001</c>
/// (FHIR R4 http.html#trules): each must match exactly one resource and is rewritten to it; no
/// match is 400, several are 412.
/// </summary>
internal static class ConditionalReferences
{
    public static async Task ResolveAsync(ResourceWriter writer, Resource resource, CancellationToken ct)
    {
        foreach (var (reference, path) in ResourceReferences.In(resource).ToList())
        {
            if (!IsConditional(reference.Reference, out var type, out var query))
            {
                continue;
            }

            var element = path + ".reference";
            SearchCriteria criteria;
            try
            {
                criteria = SearchQuery.Parse(type, query);
            }
            catch (FhirException e)
            {
                throw new FhirException(e.StatusCode, [FhirException.Issue(e.Issues[0].Code ?? OperationOutcome.IssueType.Invalid,
                    $"The conditional reference '{reference.Reference}' cannot be searched: {e.Message}", element)]);
            }

            var matches = await writer.FindIdsAsync(criteria, limit: 2, ct);
            reference.Reference = matches.Count switch
            {
                1 => $"{type}/{matches[0]}",
                0 => throw new InvalidResourceException([FhirException.Issue(OperationOutcome.IssueType.NotFound,
                    $"The conditional reference '{reference.Reference}' matches no {type}.", element)]),
                _ => throw new FhirException(412, [FhirException.Issue(OperationOutcome.IssueType.MultipleMatches,
                    $"The conditional reference '{reference.Reference}' matches more than one {type}.", element)]),
            };
        }
    }

    private static bool IsConditional(string? reference, out string type, out string query)
    {
        var question = reference?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        type = question > 0 ? reference![..question] : "";
        query = question > 0 ? reference![(question + 1)..] : "";
        return question > 0 && ModelInfo.IsKnownResource(type);
    }
}
