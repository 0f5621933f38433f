using Gateway.Fhir.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Fhir.Audit;

/// <summary>Stores the audit trail's records as AuditEvent resources, up to 500 per database transaction and statement; drains the queue on shutdown.</summary>
public sealed partial class AuditWriter(AuditTrail trail, ResourceStore store, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private const int MaxAttempts = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditRecord>(BatchSize);
        try
        {
            while (await trail.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAvailable(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is queued still goes to the database.
            trail.Complete();
            await WriteAvailable(batch, CancellationToken.None);
        }
    }

    private async Task WriteAvailable(List<AuditRecord> batch, CancellationToken ct)
    {
        while (trail.Reader.TryRead(out var record))
        {
            batch.Add(record);
            if (batch.Count == BatchSize)
            {
                await Flush(batch, ct);
            }
        }

        await Flush(batch, ct);
    }

    private async Task Flush(List<AuditRecord> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        // A database that is briefly away (a restart, a failover) gets a few tries before the batch is given up.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.WriteAsync(async writer =>
                {
                    await writer.CreateUnwatchedAsync(batch.ConvertAll<Hl7.Fhir.Model.Resource>(AuditEventBuilder.Build), ct);
                    return batch.Count;
                }, ct);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt == MaxAttempts)
                {
                    LogFailed(logger, e, batch.Count);
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
        }

        batch.Clear();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} audit records")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count);
}
