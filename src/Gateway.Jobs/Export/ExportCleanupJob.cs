using Gateway.Fhir.Export;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Gateway.Jobs.Export;

/// <summary>
/// Deletes exports whose files are past <c>Gateway:Export:FileLifetime</c>, files and all, and
/// fails those whose job was lost (still unfinished that long after the kick-off), so they expire
/// too (recurring, <c>Gateway:Export:CleanupSchedule</c>).
/// </summary>
public sealed partial class ExportCleanupJob(ExportJobs exports, ExportOptions options, ILogger<ExportCleanupJob> logger)
{
    public const string Id = "export-cleanup";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var givenUp = await exports.GiveUpStaleAsync(options.FileLifetime, ct);
        if (givenUp > 0)
        {
            LogGivenUp(logger, givenUp);
        }

        var deleted = await exports.DeleteExpiredAsync(ct);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed {Count} bulk export(s) still unfinished a file lifetime after their kick-off: their jobs were lost")]
    private static partial void LogGivenUp(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired bulk export(s) and their files")]
    private static partial void LogDeleted(ILogger logger, int count);
}
