using Gateway.Api.Tests.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.OperatorConsole.Outcomes;

/// <summary>The demo history moves its Tasks back in time after seeding them (DemoHistoryDates): the referral feed's index must move with them.</summary>
public sealed class DemoHistoryFeedTests(DemoConsoleApp gateway) : IClassFixture<DemoConsoleApp>
{
    [Fact]
    public async Task The_demo_historys_tasks_keep_the_referral_feeds_index_in_step()
    {
        var dataSource = gateway.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var (mismatched, rows) = await TaskFeedIndex.CompareAsync(dataSource);
        await using var moved = dataSource.CreateCommand("select count(*) from task_feed where last_updated < now() - interval '30 days'");

        Assert.True(rows > 100, $"only {rows} feed rows: the demo history was not seeded");
        Assert.True((long)(await moved.ExecuteScalarAsync())! > 50, "the demo history's Tasks were not moved back in time");
        Assert.Equal(0L, mismatched);
    }
}
