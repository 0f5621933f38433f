using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Testing;

/// <summary>
/// A gateway running its jobs on a clock the test moves (<see cref="Clock"/>, the gateway's
/// TimeProvider). The recurring jobs are registered but never fire on their own: a test triggers
/// one through this gateway's own IRecurringJobManager and JobStorage (never Hangfire's
/// process-wide statics, which another gateway in the test process may have set), or calls the
/// job class from the gateway's services. Clients are made before the clock moves, since assertions are signed on real time.
/// </summary>
public class ClockedJobsGatewayApp : JobsGatewayApp
{
    public ManualClock Clock { get; } = new(TimeProvider.System.GetUtcNow());

    /// <summary>The housing provider's client (test-housing: sla P5D / P14D / P84D).</summary>
    public HttpClient Housing { get; private set; } = null!;

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    // A start slower than the token endpoint's 30 s of clock skew (a loaded CI machine) would leave the clock behind the assertions.
    protected override void Started() => Clock.CatchUp();

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

    /// <summary>Reads until <paramref name="done"/> or <paramref name="patience"/> (30 seconds unless given); the last value read either way.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? patience = null)
    {
        var value = await read();
        var until = TimeProvider.System.GetUtcNow() + (patience ?? TimeSpan.FromSeconds(30));
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
