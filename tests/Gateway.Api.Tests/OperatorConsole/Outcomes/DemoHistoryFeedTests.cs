using Gateway.Api.Tests.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.OperatorConsole.Outcomes;

/// <summary>The demo history moves its Tasks back in time after seeding them (DemoHistoryDates): the referral feed's index must move with them.</summary>
public sealed class DemoHistoryFeedTests(DemoConsoleApp gateway) : IClassFixture<DemoConsoleApp>
{
    [Fact]
    public async Task The_demo_historys_tasks_keep_the_referral_feeds_index_in_step()
    {
        var (mismatched, rows) = await TaskFeedIndex.CompareAsync(gateway.Services.GetRequiredService<Npgsql.NpgsqlDataSource>());

        Assert.True(rows > 100, $"only {rows} feed rows: the demo history was not seeded");
        Assert.Equal(0L, mismatched);
    }
}
