using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// Drains the outbox every <see cref="JobsOptions.PollInterval"/> in a jobs process, so a
/// notification goes out seconds after its change commits. The recurring Hangfire job
/// (<see cref="RecurringJobs"/>) drains too, every minute, as the safety net should this loop
/// stop; neither enqueues anything after a commit, so no work lives outside the outbox rows.
/// </summary>
public sealed class OutboxPoller(OutboxDelivery delivery, JobsOptions options, TimeProvider clock, ILogger<OutboxPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval, clock);
        do
        {
            try
            {
                await delivery.DrainAsync(stoppingToken);
            }
            catch (Exception problem) when (problem is not OperationCanceledException)
            {
                logger.LogError(problem, "Draining the notification outbox failed; trying again in {Interval}", options.PollInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
