using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// The evaluators' guide's session (docs/guide-evaluators.md, its ```bash block) pasted into bash
/// against a gateway process seeded as the sandbox is, running its jobs: a token for the demo
/// evaluator, nothing to search, an export kicked off, polled, downloaded and cancelled.
/// </summary>
public sealed class EvaluatorsGuideTests
{
    [Fact]
    public async Task The_evaluators_guide_session_runs_from_start_to_end_against_the_demo_sandbox()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("evaluatorsguide");
        await using var gateway = await GatewayProcess.StartAsync(connectionString, Repository.DemoPartnersFile,
            [new("Gateway:Role", "All"), new("Gateway:Demo:Seed", "true"), new("Gateway:Jobs:PollInterval", "00:00:00.200")]);

        var output = await GuideSessions.Process(gateway).RunAsync("docs/guide-evaluators.md");

        Assert.Contains("\"requiresAccessToken\":true", output, StringComparison.Ordinal);
        Assert.Matches("\"birthDate\":\"[0-9]{4}\"", output);
        Assert.DoesNotContain("nhs-number", output, StringComparison.Ordinal);
    }
}
