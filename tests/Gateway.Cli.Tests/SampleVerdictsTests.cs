namespace Gateway.Cli.Tests;

/// <summary>
/// Every file in ../shared/samples has a verdict from the CLI: checked offline with `validate` (valid
/// 0, invalid 1), or told what it is and why it is not validated or sent (2). A sample added later
/// fails here until it is given its verdict (and, if it is sendable, a round trip in SendSamplesTests).
/// </summary>
public sealed class SampleVerdictsTests(SandboxGateway gateway) : IClassFixture<SandboxGateway>
{
    private static readonly Dictionary<string, (int Validate, int Send)> Verdicts = new(StringComparer.Ordinal)
    {
        ["gp/referral-transaction.json"] = (0, 0),
        ["housing-case/01-engaged-with-ons4.json"] = (0, 0),
        ["housing-case/02-closed-completed.json"] = (0, 0),
        ["housing-case/03-contact-attempted-no-consent.json"] = (0, 0),
        ["housing-case/04-invalid.json"] = (1, 1),
        ["housing-referral/01-damp-and-breathing.json"] = (0, 0),
        ["wor-export/2026-10-31-wor-kampen.csv"] = (1, 1),
        ["partners.json"] = (0, 2),
        ["demo-client-keys.private.json"] = (2, 2),
        ["referral-out/01-referral-to-housing.json"] = (2, 2),
        ["README.md"] = (2, 2),
        ["gp/README.md"] = (2, 2),
        ["housing-case/README.md"] = (2, 2),
        ["referral-out/README.md"] = (2, 2),
        ["wor-export/README.md"] = (2, 2),
    };

    [Fact]
    public void Every_sample_file_has_a_verdict()
    {
        var files = Directory.EnumerateFiles(RepositoryFiles.Samples, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Samples, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Verdicts.Keys.Order(StringComparer.Ordinal), files);
    }

    /// <summary>After every date in the samples (housing-case/02 closes a case on 2026-12-20), so the verdicts do not depend on today's date.</summary>
    private const string AfterTheSamples = "2027-01-01T00:00:00Z";

    [Fact]
    public async Task Validate_gives_every_sample_its_verdict()
    {
        foreach (var (file, verdict) in Verdicts)
        {
            var validated = await gateway.RunAsync("validate", RepositoryFiles.Sample(file), "--at", AfterTheSamples);
            Assert.True(validated.ExitCode == verdict.Validate, $"{file}: {validated}");
        }
    }

    [Fact]
    public async Task Files_that_are_not_sent_say_what_they_are_and_nothing_is_sent()
    {
        foreach (var (file, _) in Verdicts.Where(v => v.Value.Send == 2))
        {
            var sent = await gateway.RunAsync("send", RepositoryFiles.Sample(file));
            Assert.True(sent.ExitCode == 2, $"{file}: {sent}");
            Assert.Equal("", sent.Output);
        }

        var partners = await gateway.RunAsync("send", RepositoryFiles.Sample("partners.json"));
        Assert.Contains("is a partners file: the gateway reads it at start", partners.Error, StringComparison.Ordinal);
        var outbound = await gateway.RunAsync("send", RepositoryFiles.Sample("referral-out/01-referral-to-housing.json"));
        Assert.Contains("referral/v1 message: what the gateway sends to partners", outbound.Error, StringComparison.Ordinal);
        var readme = await gateway.RunAsync("send", RepositoryFiles.Sample("README.md"));
        Assert.Contains("not a kind of file the gateway tool knows. Known kinds: a FHIR resource or Bundle", readme.Error, StringComparison.Ordinal);
        Assert.Contains("wor-export/v1 CSV", readme.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        var missing = Path.Combine(gateway.Folder, "no-such-referral.json");
        var sent = await gateway.RunAsync("send", missing);
        var validated = await gateway.RunAsync("validate", missing);
        Assert.Equal(2, sent.ExitCode);
        Assert.Equal(2, validated.ExitCode);
        Assert.Equal($"The file {missing} does not exist.", sent.Error.Trim());
        Assert.Equal($"The file {missing} does not exist.", validated.Error.Trim());
    }

    [Fact]
    public async Task An_invalid_FHIR_resource_is_refused_by_validate_and_the_gateway_with_the_same_locations()
    {
        var patient = gateway.WriteFile("bad-patient.json", """
            {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9995908302"}],
             "name":[{"family":"Okafor"}],"birthDate":"1951-03-08"}
            """);
        var validated = await gateway.RunAsync("validate", patient);
        var sent = await gateway.RunAsync("send", patient);
        Assert.Equal(1, validated.ExitCode);
        Assert.True(sent.ExitCode == 1, sent.ToString());
        Assert.StartsWith("HTTP 422", sent.Output, StringComparison.Ordinal);
        Assert.Contains("error       Patient.identifier[0]", validated.Output, StringComparison.Ordinal);
        Assert.Contains("error       Patient.identifier[0]", sent.Output, StringComparison.Ordinal);
    }
}
