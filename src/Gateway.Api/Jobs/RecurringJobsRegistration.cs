using Gateway.Fhir.Export;
using Gateway.Fhir.Partners;
using Gateway.Jobs;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace Gateway.Api.Jobs;

/// <summary>
/// Registers the recurring schedules at start. A gateway killed while Hangfire's scheduler held a
/// recurring job's lock leaves that lock's row behind until it expires (Hangfire.PostgreSql's
/// DistributedLockTimeout, 10 minutes), and registering that job then times out. The schedules the
/// last start stored keep running meanwhile, so a start that meets such a lock serves anyway and
/// registers again in the background until it succeeds, rather than failing the whole host (which
/// made a gateway restarted after a crash refuse to start for up to ten minutes).
/// </summary>
internal sealed partial class RecurringJobsRegistration(
    IRecurringJobManager jobs, JobsOptions options, PartnerDirectory partners, ExportOptions export, TimeProvider clock, ILogger<RecurringJobsRegistration> logger)
    : IHostedService, IDisposable
{
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!TryRegister())
        {
            _retrying = RetryAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _retrying.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped before the lock expired: the next start registers them.
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RetryAsync(CancellationToken stopping)
    {
        do
        {
            await Task.Delay(RetryInterval, clock, stopping);
        }
        while (!TryRegister());

        LogRegistered(logger);
    }

    private bool TryRegister()
    {
        try
        {
            RecurringJobs.Register(jobs, options, partners, export);
            return true;
        }
        catch (Exception e) when (e is DistributedLockTimeoutException or PostgreSqlDistributedLockException)
        {
            LogLocked(logger, e, RetryInterval.TotalSeconds);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A recurring job's lock is still held (a gateway stopped while holding it leaves it until it expires); the schedules stored before keep running, and registering them is tried again in {Seconds} s")]
    private static partial void LogLocked(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The recurring schedules are registered")]
    private static partial void LogRegistered(ILogger logger);
}
