using Gateway.Api.Demo;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Api.Tests.Sandbox;

/// <summary>A gateway with demo seeding on (as <c>dotnet run</c> has it) but the test partners file, not the demo's.</summary>
public sealed class SeedingOtherPartnersGatewayApp : GatewayApp
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new(DemoSeed.SettingKey, "true")];
}

/// <summary>Issue 17 item 17: the demo is seeded only into the demo's partners file; any other gets one clear log line and nothing else.</summary>
public sealed class DemoSeedPartnersFileTests(SeedingOtherPartnersGatewayApp gateway) : IClassFixture<SeedingOtherPartnersGatewayApp>
{
    [Fact]
    public async Task Another_partners_file_gets_nothing_seeded_and_one_log_line_saying_why()
    {
        var seedLines = gateway.Logs.Entries.Where(e => e.Category == typeof(DemoSeed).FullName).ToList();

        var line = Assert.Single(seedLines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("not the demo's", line.Message, StringComparison.Ordinal);
        Assert.Contains(DemoReferrals.HousingGp, line.Message, StringComparison.Ordinal);
        await using var count = gateway.Database.CreateCommand("select count(*) from resource where resource_type = 'ServiceRequest'");
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }
}
