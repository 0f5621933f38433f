using Gateway.Api.Hosting;
using Gateway.Jobs.Measures;
using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// The commissioners' guide's session (docs/guide-commissioners.md) runs through <see cref="GuideShell"/>
/// against a gateway on a real port, seeded with the sandbox's demo referrals, after the
/// monthly reports job ran for the current month (the demo referrals' month) as the first of the
/// next month would: a token for the demo ICB, the Measures, a report at type and instance level,
/// a masked stratum, the CSV, the stored reports, and the refusals.
/// </summary>
public sealed class CommissionersGuideTests
{
    [Fact]
    public async Task The_commissioners_guide_session_runs_from_start_to_end_against_the_demo_sandbox()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("commissionersguide");
        await using var app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = connectionString,
                ["Gateway:PartnersFile"] = Repository.DemoPartnersFile,
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.Api),
                ["Gateway:Demo:Seed"] = "true",
            }));
        await app.StartAsync();
        var root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var now = DateTimeOffset.UtcNow;
        var reports = await app.Services.GetRequiredService<MonthlyMeasureReportsJob>().RunForMonthAsync(now.Year, now.Month, CancellationToken.None);
        Assert.True(reports > 0, "The monthly job made no reports.");

        var output = await new GuideShell(new Uri(root + "/")).RunAsync("docs/guide-commissioners.md");
        await app.StopAsync();

        // Five demo referrals in the ICB's area: the total is shown, each district's count is masked.
        Assert.Contains("\"code\":\"initial-population\"}]},\"count\":5", output, StringComparison.Ordinal);
        Assert.Contains($"referrals-received,{now:yyyy-MM}-01,", output, StringComparison.Ordinal);
        Assert.Contains(",received,area,WS2,<5,", output, StringComparison.Ordinal);
        Assert.Contains(",ons4-satisfied,,,<5,,,suppressed,", output, StringComparison.Ordinal);
        // The job's report for the ICB is found; the every-area one is not its to read.
        Assert.Contains($"MeasureReport/referrals-received-{now:yyyy-MM}-walsall-icb\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"referrals-received-{now:yyyy-MM}-all\"", output, StringComparison.Ordinal);
        Assert.Contains("404", output, StringComparison.Ordinal);
    }
}
