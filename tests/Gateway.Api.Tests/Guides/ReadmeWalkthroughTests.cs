using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// The README's five-minute walkthrough is a script: its sh block runs with bash -e against a
/// gateway process with the demo partners, and ends with the GP seeing its referral's Task in
/// progress after the housing association's record was applied.
/// </summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task The_readme_walkthrough_runs_from_start_to_end_against_the_demo_sandbox()
    {
        var script = Path.Combine(Path.GetTempPath(), $"readme-walkthrough-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, WalkthroughBlock(await File.ReadAllTextAsync(Repository.File("README.md"))));
        var connectionString = await PostgresCluster.CreateDatabaseAsync("readmewalkthrough");
        // Seeded as `dotnet run` seeds the sandbox, so the walkthrough is checked against what a newcomer starts.
        await using var gateway = await GatewayProcess.StartAsync(connectionString, Repository.DemoPartnersFile, [new("Gateway:Role", "Api"), new("Gateway:Demo:Seed", "true")]);
        var root = new Uri(gateway.BaseAddress, "..").ToString().TrimEnd('/');

        var (exitCode, output, errors) = await RunBashAsync(script, root);
        File.Delete(script);

        Assert.True(exitCode == 0, $"The README walkthrough stopped (bash -e, exit {exitCode}).\n--- stdout\n{output}\n--- stderr\n{errors}");
        Assert.Contains("\"outcome\":\"accepted\"", output);
        Assert.Contains("\"outcome\":\"unchanged\"", output);
        var task = await GpSeesTaskAsync(gateway);
        Assert.Equal("in-progress", task.GetProperty("status").GetString());
        Assert.Equal("Organization/hfactor-housing", task.GetProperty("owner").GetProperty("reference").GetString());
    }

    [Fact]
    public async Task The_reference_pages_more_curl_examples_run_against_the_demo_sandbox()
    {
        var script = Path.Combine(Path.GetTempPath(), $"reference-examples-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, WalkthroughBlock(await File.ReadAllTextAsync(Repository.File("docs/reference.md"))));
        var connectionString = await PostgresCluster.CreateDatabaseAsync("referenceexamples");
        await using var gateway = await GatewayProcess.StartAsync(connectionString, Repository.DemoPartnersFile, [new("Gateway:Role", "Api"), new("Gateway:Demo:Seed", "true")]);
        var root = new Uri(gateway.BaseAddress, "..").ToString().TrimEnd('/');

        var (exitCode, output, errors) = await RunBashAsync(script, root);
        File.Delete(script);

        Assert.True(exitCode == 0, $"The reference's examples stopped (bash -e, exit {exitCode}).\n--- stdout\n{output}\n--- stderr\n{errors}");
        Assert.Contains("HTTP/1.1 412", output, StringComparison.Ordinal);
        Assert.Contains("gw-pat-2", output, StringComparison.Ordinal);
    }

    /// <summary>The ```sh block of the file that sets B (the FHIR base), whole.</summary>
    private static string WalkthroughBlock(string readme)
    {
        var block = GuideMarkdown.Blocks(readme).FirstOrDefault(b => b.Info == "sh" && b.Lines.Any(l => l.StartsWith("B=", StringComparison.Ordinal)))
            ?? throw new Xunit.Sdk.XunitException("The file has no ```sh block that sets B=.");
        return string.Join('\n', block.Lines) + "\n";
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunBashAsync(string script, string gatewayRoot)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(script);
        start.Environment["GATEWAY"] = gatewayRoot;
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
            throw new Xunit.Sdk.XunitException($"The README walkthrough did not finish within five minutes.\n--- stdout\n{await output}\n--- stderr\n{await errors}");
        }

        return (bash.ExitCode, await output, await errors);
    }

    private static async Task<JsonElement> GpSeesTaskAsync(GatewayProcess gateway)
    {
        using var gp = new HttpClient { BaseAddress = gateway.BaseAddress };
        gp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoClients.TokenAsync(gateway.TokenEndpoint, DemoClients.Gp));
        // The walkthrough's referral (the GP sample), among the sandbox's demo referrals.
        using var requests = JsonDocument.Parse(await gp.GetStringAsync("ServiceRequest?identifier=https://hillside.example/referrals|SP-2026-1187"));
        var serviceRequest = Assert.Single(requests.RootElement.GetProperty("entry").EnumerateArray()).GetProperty("resource").GetProperty("id").GetString();
        using var bundle = JsonDocument.Parse(await gp.GetStringAsync($"Task?focus=ServiceRequest/{serviceRequest}"));
        var entries = bundle.RootElement.GetProperty("entry");
        Assert.Equal(1, entries.GetArrayLength());
        return entries[0].GetProperty("resource").Clone();
    }
}
