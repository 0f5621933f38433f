using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>What a Reference.reference string points at (http://hl7.org/fhir/R4/references.html#literal).</summary>
internal sealed partial record LiteralReference(string? TargetType, string? TargetId, string? Url)
{
    // Issue 18, eleventh pass: reading references for the index was 2.3 % of a wor-export send's
    // gateway samples. A reference's meaning depends on its text alone.
    private static readonly RecentValues<LiteralReference> Parsed = new(ParseNew);

    /// <returns>null for an empty or contained ("#id") reference.</returns>
    public static LiteralReference? Parse(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.StartsWith('#'))
        {
            return null;
        }

        return Parsed.Get(reference);
    }

    private static LiteralReference ParseNew(string reference)
    {
        if (reference.StartsWith("urn:", StringComparison.Ordinal))
        {
            return new LiteralReference(null, null, reference);
        }

        // A version-specific reference is indexed as the resource it is a version of.
        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var unversioned = history < 0 ? reference : reference[..history];

        if (unversioned.Contains("://", StringComparison.Ordinal))
        {
            var (type, id) = TypeAndId(unversioned[(unversioned.IndexOf("://", StringComparison.Ordinal) + 3)..]);
            return new LiteralReference(type, id, unversioned);
        }

        // "Type/id": one slash, found without Split's array (issue 18, eleventh pass).
        var slash = unversioned.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && unversioned.IndexOf('/', slash + 1) < 0)
        {
            var (relativeType, relativeId) = (unversioned[..slash], unversioned[(slash + 1)..]);
            if (IsTypeAndId(relativeType, relativeId))
            {
                return new LiteralReference(relativeType, relativeId, null);
            }
        }

        return new LiteralReference(null, null, reference);
    }

    private static (string? Type, string? Id) TypeAndId(string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        return segments is [.., var type, var id] && IsTypeAndId(type, id) ? (type, id) : (null, null);
    }

    private static bool IsTypeAndId(string type, string id) => ModelInfo.IsKnownResource(type) && Storage.ResourceId.IsValid(id);
}
