using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// The README's five-minute walkthrough, and its continuation in docs/reference.md, pasted into bash
/// as a reader would (<see cref="GuideShell"/>) against a gateway process seeded as `dotnet run`
/// seeds the sandbox: the walkthrough ends with the GP seeing its referral's Task in progress after
/// the housing association's record was applied.
/// </summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task The_readme_walkthrough_runs_from_start_to_end_against_the_demo_sandbox()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("readmewalkthrough");
        await using var gateway = await GatewayProcess.StartAsync(connectionString, Repository.DemoPartnersFile, [new("Gateway:Role", "Api"), new("Gateway:Demo:Seed", "true")]);

        var output = await GuideSessions.Process(gateway).RunAsync("README.md");

        Assert.Contains("\"outcome\":\"accepted\"", output, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"unchanged\"", output, StringComparison.Ordinal);
        var task = await GpSeesTaskAsync(gateway);
        Assert.Equal("in-progress", task.GetProperty("status").GetString());
        Assert.Equal("Organization/hfactor-housing", task.GetProperty("owner").GetProperty("reference").GetString());
    }

    [Fact]
    public async Task The_reference_pages_more_curl_examples_run_against_the_demo_sandbox()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("referenceexamples");
        await using var gateway = await GatewayProcess.StartAsync(connectionString, Repository.DemoPartnersFile, [new("Gateway:Role", "Api"), new("Gateway:Demo:Seed", "true")]);

        var output = await GuideSessions.Process(gateway).RunAsync("docs/reference.md");

        Assert.Contains("HTTP/1.1 412", output, StringComparison.Ordinal);
        Assert.Contains("gw-pat-2", output, StringComparison.Ordinal);
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
