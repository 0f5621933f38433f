using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// References to other entries of the same bundle by their <c>urn:uuid:</c> or <c>urn:oid:</c>
/// fullUrl, rewritten to the <c>Type/id</c> each entry resolved to (FHIR R4 http.html#trules,
/// bundle.html#references).
/// </summary>
internal static class UrnUuidReferences
{
    public static bool IsUrn(string? reference) =>
        reference is not null && (reference.StartsWith("urn:uuid:", StringComparison.Ordinal) || reference.StartsWith("urn:oid:", StringComparison.Ordinal));

    /// <summary>Rewrites every urn reference in <paramref name="resource"/>; one that no entry defines is a 400 naming its element.</summary>
    public static void Rewrite(Resource resource, IReadOnlyDictionary<string, string> targets)
    {
        foreach (var (reference, path) in ResourceReferences.In(resource))
        {
            if (reference.Reference is not { } urn || !IsUrn(urn))
            {
                continue;
            }

            reference.Reference = targets.TryGetValue(urn, out var target)
                ? target
                : throw new InvalidResourceException([FhirException.Issue(OperationOutcome.IssueType.NotFound,
                    $"The reference '{urn}' is the fullUrl of no entry in this transaction.", path + ".reference")]);
        }
    }

    /// <summary>FHIR R4 http.html#transaction: entries of a batch may not depend on each other, so a urn reference in one is a 400.</summary>
    public static void RefuseInBatch(Resource resource)
    {
        if (ResourceReferences.In(resource).FirstOrDefault(r => IsUrn(r.Reference.Reference)) is ({ } reference, var path))
        {
            throw new InvalidResourceException([FhirException.Issue(OperationOutcome.IssueType.Invalid,
                $"The reference '{reference.Reference}' points at another entry; entries of a batch are independent and may not refer to each other (use a transaction).",
                path + ".reference")]);
        }
    }
}
