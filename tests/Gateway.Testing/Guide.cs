using Gateway.Fhir.Conformance;
using Gateway.Fhir.Validation;
using Gateway.Fhir.Validation.Profiles;
using Hl7.Fhir.Model;

namespace Gateway.Testing;

/// <summary>The implementation guide in profiles/ as the build copies it beside the tests, loaded once per test run.</summary>
public static class Guide
{
    private static readonly Lazy<ConformanceResources> Loaded = new(() => ConformanceFolder.Load(Folder));
    private static readonly Lazy<ProfileValidator> LoadedValidator = new(() => new ProfileValidator(Loaded.Value));

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "profiles");

    public static ConformanceResources Resources => Loaded.Value;

    public static ProfileValidator Validator => LoadedValidator.Value;

    public static IEnumerable<string> ExampleFiles => Directory.EnumerateFiles(Path.Combine(Folder, "examples"), "*.json").Order(StringComparer.Ordinal);

    /// <summary>An example of profiles/examples/ by file name (e.g. "Patient-example-margaret.json"), parsed afresh so a test may change it.</summary>
    public static T Example<T>(string fileName) where T : Resource
    {
        var parsed = ResourceParser.ParseJson(File.ReadAllBytes(Path.Combine(Folder, "examples", fileName)));
        return parsed.Resource as T ?? throw new InvalidOperationException($"{fileName}: " + string.Join("; ", parsed.Issues.Select(i => i.Diagnostics)));
    }
}
