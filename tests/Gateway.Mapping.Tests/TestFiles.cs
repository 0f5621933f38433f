using Gateway.Mapping.Status;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Mapping.Tests;

/// <summary>
/// The fixtures: the partners' sample files (shared/samples, beside the repository in a CI clone and
/// at /work/shared/samples on a developer's machine) and the repository's profiles/.
/// </summary>
internal static class TestFiles
{
    public static readonly DateTimeOffset ReceivedAt = new(2027, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> RepositoryRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "InteropGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("InteropGateway.sln not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<string> SamplesFolder = new(() =>
    {
        string[] candidates = [Path.Combine(RepositoryRoot.Value, "..", "shared", "samples"), "/work/shared/samples"];
        return candidates.FirstOrDefault(Directory.Exists)
            ?? throw new InvalidOperationException("shared/samples not found; looked in " + string.Join(", ", candidates));
    });

    public static string SamplePath(string relative) => Path.Combine(SamplesFolder.Value, relative);

    public static string Sample(string relative) => File.ReadAllText(SamplePath(relative));

    public static string Profile(string fileName) => File.ReadAllText(Path.Combine(RepositoryRoot.Value, "profiles", fileName));

    public static ConceptMap ConceptMap(string fileName) => new FhirJsonDeserializer().Deserialize<ConceptMap>(Profile(fileName));

    public static StatusTranslation HousingCaseStatuses() => new(ConceptMap("ConceptMap-housing-case-status-to-task.json"));

    public static StatusTranslation WorStatuses() => new(ConceptMap("ConceptMap-wor-status-to-task.json"));
}
