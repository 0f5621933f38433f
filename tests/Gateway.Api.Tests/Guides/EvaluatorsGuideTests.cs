using System.Diagnostics;
using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// The evaluators' guide's session (docs/guide-evaluators.md, its ```sh block) runs with bash -e
/// against a gateway process seeded as the sandbox is, running its jobs: a token for the demo
/// evaluator, nothing to search, an export kicked off, polled, downloaded and cancelled.
/// </summary>
public sealed class EvaluatorsGuideTests
{
    [Fact]
    public async Task The_evaluators_guide_session_runs_from_start_to_end_against_the_demo_sandbox()
    {
        var block = GuideMarkdown.Blocks(await File.ReadAllTextAsync(Repository.File("docs/guide-evaluators.md")))
            .Single(b => b.Info == "sh" && b.Lines.Any(l => l.StartsWith("B=", StringComparison.Ordinal)));
        var script = Path.Combine(Path.GetTempPath(), $"evaluators-guide-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, string.Join('\n', block.Lines) + "\n");
        var connectionString = await PostgresCluster.CreateDatabaseAsync("evaluatorsguide");
        await using var gateway = await GatewayProcess.StartAsync(connectionString, Repository.DemoPartnersFile,
            [new("Gateway:Role", "All"), new("Gateway:Demo:Seed", "true"), new("Gateway:Jobs:PollInterval", "00:00:00.200")]);

        var start = new ProcessStartInfo("bash") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(script);
        start.Environment["GATEWAY"] = new Uri(gateway.BaseAddress, "..").ToString().TrimEnd('/');
        start.Environment["GATEWAY_CLI"] = $"dotnet {Repository.BuiltFile("Gateway.Cli", "gateway.dll")}";
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await bash.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
        }

        File.Delete(script);
        var said = $"\n--- stdout\n{await output}\n--- stderr\n{await errors}";
        Assert.True(bash.HasExited && bash.ExitCode == 0, $"The evaluators' guide session stopped (bash -e).{said}");
        Assert.Contains("\"requiresAccessToken\":true", await output, StringComparison.Ordinal);
        Assert.Matches("\"birthDate\":\"[0-9]{4}\"", await output);
        Assert.DoesNotContain("nhs-number", await output, StringComparison.Ordinal);
    }
}
