using Gateway.Testing;
using Npgsql;

namespace Gateway.Api.Tests.Jobs;

/// <summary>
/// A gateway killed while Hangfire's scheduler held a recurring job's lock leaves the lock's row
/// behind (it expires after ten minutes). The next start must serve anyway, and register the
/// schedules once the lock is gone, not fail to start (RecordBatchCrashTests met this in CI).
/// </summary>
public sealed class RecurringJobLockTests
{
    private const string OutboxJob = "notification-outbox";
    private const string NewSchedule = "*/7 * * * *";

    [Fact]
    public async Task A_start_that_meets_a_left_over_recurring_job_lock_serves_and_registers_once_it_is_gone()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(RecurringJobLockTests));
        var partnersFile = Path.Combine(Path.GetTempPath(), $"gateway-partners-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(partnersFile, new TestPartners().Json);
        await using (await GatewayProcess.StartAsync(connectionString, partnersFile))
        {
            // The first start creates Hangfire's schema and stores the schedules.
        }

        await using var database = NpgsqlDataSource.Create(connectionString);
        var stored = await ScheduleAsync(database);
        Assert.NotEqual(NewSchedule, stored);
        // The row a killed process leaves: the lock of the outbox's recurring job, taken just now.
        await ExecuteAsync(database, $"insert into hangfire.lock (resource, updatecount, acquired) values ('hangfire:lock:recurring-job:{OutboxJob}', 0, now())");

        await using var restarted = await GatewayProcess.StartAsync(connectionString, partnersFile, [new("Gateway:Jobs:DeliverySchedule", NewSchedule)]);
        using var health = new HttpClient { BaseAddress = restarted.BaseAddress };
        Assert.True((await health.GetAsync("../health/ready")).IsSuccessStatusCode);
        Assert.Equal(stored, await ScheduleAsync(database));

        await ExecuteAsync(database, $"delete from hangfire.lock where resource = 'hangfire:lock:recurring-job:{OutboxJob}'");
        var registered = stored;
        for (var attempt = 0; attempt < 120 && registered != NewSchedule; attempt++)
        {
            await Task.Delay(500);
            registered = await ScheduleAsync(database);
        }

        Assert.Equal(NewSchedule, registered);
    }

    private static async Task<string?> ScheduleAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand($"select value from hangfire.hash where key = 'recurring-job:{OutboxJob}' and field = 'Cron'");
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
