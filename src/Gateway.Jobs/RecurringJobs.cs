using Gateway.Jobs.Delivery;
using Hangfire;

namespace Gateway.Jobs;

/// <summary>Every recurring job of the gateway, in one place (STYLE: Hangfire's "public API at the root").</summary>
public static class RecurringJobs
{
    public const string OutboxDrain = "notification-outbox";

    /// <summary>Adds or updates the schedules; idempotent, so every jobs process may run it at start.</summary>
    public static void Register(IRecurringJobManager jobs, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(options);
        jobs.AddOrUpdate<OutboxDelivery>(OutboxDrain, delivery => delivery.DrainAsync(CancellationToken.None), options.DeliverySchedule);
    }
}
