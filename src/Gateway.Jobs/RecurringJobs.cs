using Gateway.Jobs.Retention;
using Gateway.Jobs.Sla;
using Hangfire;

namespace Gateway.Jobs;

/// <summary>Every recurring job of the gateway, in one place (STYLE: Hangfire's "public API at the root").</summary>
public static class RecurringJobs
{
    private static readonly RecurringJobOptions Utc = new() { TimeZone = TimeZoneInfo.Utc };

    /// <summary>Adds or updates the schedules; idempotent, so every jobs process may run it at start.</summary>
    public static void Register(IRecurringJobManager jobs, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(options);
        jobs.AddOrUpdate<SlaCheckJob>(SlaCheckJob.Id, job => job.RunAsync(CancellationToken.None), options.SlaSchedule, Utc);
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.Id, job => job.RunAsync(CancellationToken.None), options.RetentionSchedule, Utc);
    }
}
