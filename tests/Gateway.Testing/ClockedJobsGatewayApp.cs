using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Testing;

/// <summary>
/// A gateway running its jobs on a clock the test moves (<see cref="Clock"/>, the gateway's
/// TimeProvider). The recurring jobs are registered but never fire on their own: a test calls the
/// job class from the gateway's services (Hangfire's process-wide JobStorage.Current and
/// JobActivator.Current make running them through Hangfire unreliable with several gateways in one test process). Clients are made before the clock moves, since assertions are signed on real time.
/// </summary>
public class ClockedJobsGatewayApp : JobsGatewayApp
{
    public ManualClock Clock { get; } = new(TimeProvider.System.GetUtcNow());

    /// <summary>The housing provider's client (test-housing: sla P5D / P14D / P84D).</summary>
    public HttpClient Housing { get; private set; } = null!;

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Gateway:Jobs:SlaSchedule", Cron.Never()),
        new("Gateway:Jobs:RetentionSchedule", Cron.Never()),
        // A clock moved months ahead must not rotate away the key the test's tokens were signed with.
        new("Gateway:Auth:SigningKeyMaxAgeDays", "3650"),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clock.CatchUp();
        Housing = await CreateClientAsync(TestPartners.Housing);
    }

    /// <summary>The recurring job's registration as Hangfire stores it; null when there is none.</summary>
    public RecurringJobDto? RecurringJob(string id)
    {
        using var connection = Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == id);
    }

    /// <summary>Reads until <paramref name="done"/> or 30 seconds; the last value read either way.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        var until = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (!done(value) && TimeProvider.System.GetUtcNow() < until)
        {
            await System.Threading.Tasks.Task.Delay(200);
            value = await read();
        }

        return value;
    }

    public override async Task DisposeAsync()
    {
        Housing?.Dispose();
        await base.DisposeAsync();
    }
}
