using Gateway.Fhir.Serialization;
using Gateway.Fhir.Validation;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Storage;

/// <summary>
/// Reading back what the store wrote skips the SDK's POCO validation (issue 9: it was half the cost
/// of a read-back); the resource read must still be the one written.
/// </summary>
public sealed class StoredJsonTests
{
    public static TheoryData<string> Examples() => new(Guide.ExampleFiles.Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Examples))]
    public void A_stored_example_reads_back_as_written(string fileName)
    {
        var written = Guide.Example<Resource>(fileName);
        written.Meta ??= new Meta();
        written.Meta.VersionId = "3";
        written.Meta.LastUpdated = new DateTimeOffset(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero);
        var json = FhirSerialization.ToJson(written);

        var read = FhirSerialization.FromStoredJson(json);

        Assert.Equal(json, FhirSerialization.ToJson(read));
        Assert.True(read.Matches(written));
    }

    [Fact]
    public void The_referral_bundles_resources_read_back_as_written()
    {
        var bundle = (Bundle)ResourceParser.ParseJson(File.ReadAllBytes(Path.Combine(RepositoryRoot(), "..", "shared", "samples", "gp", "referral-transaction.json"))).Resource!;

        Assert.All(bundle.Entry.Select(e => FhirSerialization.ToJson(e.Resource!)), json => Assert.Equal(json, FhirSerialization.ToJson(FhirSerialization.FromStoredJson(json))));
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "InteropGateway.sln")))
        {
            folder = folder.Parent!;
        }

        return folder.FullName;
    }
}
