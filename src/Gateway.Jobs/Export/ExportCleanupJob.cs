using Gateway.Fhir.Export;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Gateway.Jobs.Export;

/// <summary>Deletes exports whose files are past <c>Gateway:Export:FileLifetime</c>, files and all (recurring, <c>Gateway:Export:CleanupSchedule</c>).</summary>
public sealed partial class ExportCleanupJob(ExportJobs exports, ILogger<ExportCleanupJob> logger)
{
    public const string Id = "export-cleanup";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var deleted = await exports.DeleteExpiredAsync(ct);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired bulk export(s) and their files")]
    private static partial void LogDeleted(ILogger logger, int count);
}
