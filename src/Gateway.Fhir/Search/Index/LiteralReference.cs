using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>What a Reference.reference string points at (http://hl7.org/fhir/R4/references.html#literal).</summary>
internal sealed partial record LiteralReference(string? TargetType, string? TargetId, string? Url)
{
    /// <returns>null for an empty or contained ("#id") reference.</returns>
    public static LiteralReference? Parse(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.StartsWith('#'))
        {
            return null;
        }

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

        return unversioned.Split('/') is [var relativeType, var relativeId] && IsTypeAndId(relativeType, relativeId)
            ? new LiteralReference(relativeType, relativeId, null)
            : new LiteralReference(null, null, reference);
    }

    private static (string? Type, string? Id) TypeAndId(string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        return segments is [.., var type, var id] && IsTypeAndId(type, id) ? (type, id) : (null, null);
    }

    private static bool IsTypeAndId(string type, string id) => ModelInfo.IsKnownResource(type) && Storage.ResourceId.IsValid(id);
}
