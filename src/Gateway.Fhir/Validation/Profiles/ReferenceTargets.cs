using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// The resource type a Reference points at, as far as it can be told without resolving it
/// (FHIR R4 references.html): the literal reference's type, a conditional reference's type
/// (<c>Organization?identifier=...</c>, as transactions allow), a bundle entry's type for a
/// <c>urn:uuid:</c> full URL, a contained resource's type, or else <c>Reference.type</c>.
/// </summary>
internal sealed class ReferenceTargets(IReadOnlyDictionary<string, string> typesByFullUrl)
{
    public static readonly ReferenceTargets None = new(new Dictionary<string, string>());

    public static ReferenceTargets ForBundle(Bundle bundle) => new(bundle.Entry
        .Where(e => e.FullUrl is not null && e.Resource is not null)
        .GroupBy(e => e.FullUrl!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Resource!.TypeName, StringComparer.Ordinal));

    public string? TypeOf(ResourceReference reference, Resource container)
    {
        var literal = reference.Reference;
        if (literal is null)
        {
            return reference.Type;
        }

        if (literal.StartsWith('#'))
        {
            return (container as DomainResource)?.Contained.FirstOrDefault(c => c.Id == literal[1..])?.TypeName;
        }

        if (typesByFullUrl.TryGetValue(literal, out var entryType))
        {
            return entryType;
        }

        var query = literal.IndexOf('?', StringComparison.Ordinal);
        if (query > 0 && ModelInfo.IsKnownResource(literal[..query]))
        {
            return literal[..query];
        }

        return LiteralReference.Parse(literal)?.TargetType ?? reference.Type;
    }
}
