using Gateway.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Conformance;

/// <summary>The implementation guide as loaded from profiles/: checked, indexed by canonical URL, value sets expanded.</summary>
public sealed class ConformanceResources
{
    private readonly Dictionary<string, ConformanceFile> _byUrl;

    internal ConformanceResources(string folder, IReadOnlyList<ConformanceFile> files, ValueSetExpansions expansions)
    {
        Folder = folder;
        Files = files;
        Expansions = expansions;
        _byUrl = files.ToDictionary(f => f.Url, StringComparer.Ordinal);
    }

    public string Folder { get; }

    public IReadOnlyList<ConformanceFile> Files { get; }

    public ValueSetExpansions Expansions { get; }

    /// <summary>Every StructureDefinition: the resource profiles and the extension definitions (<see cref="Extensions"/>).</summary>
    public IEnumerable<StructureDefinition> Profiles => OfType<StructureDefinition>();

    public IEnumerable<StructureDefinition> Extensions => OfType<StructureDefinition>().Where(ExtensionDefinitions.IsExtension);

    public IEnumerable<T> OfType<T>() where T : Resource => Files.Select(f => f.Resource).OfType<T>();

    /// <summary>The resource with this canonical URL (a <c>|version</c> suffix is ignored), or null.</summary>
    public T? Find<T>(string? canonical) where T : Resource =>
        canonical is not null && _byUrl.TryGetValue(GatewayGuide.WithoutVersion(canonical), out var file) ? file.Resource as T : null;

    public string FileOf(string canonical) => _byUrl.TryGetValue(canonical, out var file) ? file.FileName : canonical;

    /// <summary>The guide's profile for a resource type: the one applied when a resource names none (ConformanceChecks allows one per type).</summary>
    public StructureDefinition? DefaultProfile(string resourceType) => Profiles.FirstOrDefault(p => p.Type == resourceType);

    public IReadOnlyList<string> ProfilesOf(string resourceType) =>
        Profiles.Where(p => p.Type == resourceType).Select(p => p.Url).OfType<string>().ToList();
}
