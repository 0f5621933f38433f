using Gateway.Api.Hosting;
using Gateway.Fhir.Conformance;
using Gateway.Testing;

namespace Gateway.Api.Tests.Conformance;

public sealed class GuideStartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("profiles-").FullName;

    [Fact]
    public void A_broken_guide_stops_the_start_naming_the_file()
    {
        foreach (var file in Directory.EnumerateFiles(Guide.Folder, "*.json"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(_folder, "ValueSet-partner-kind.json"), """{"resourceType":"ValueSet","id":"partner-kind",""");

        var failure = Assert.Throws<ConformanceLoadException>(() => GatewayHost.Build(
            ["--Gateway:ProfilesFolder=" + _folder, "--ConnectionStrings:Gateway=Host=127.0.0.1;Database=unused"]));

        Assert.Contains("ValueSet-partner-kind.json", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
