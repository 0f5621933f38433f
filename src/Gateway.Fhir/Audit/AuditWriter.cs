using Gateway.Fhir.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Fhir.Audit;

/// <summary>Stores the audit trail's records as AuditEvent resources, up to 500 per database transaction; drains the queue on shutdown.</summary>
public sealed partial class AuditWriter(AuditTrail trail, ResourceStore store, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;

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

        try
        {
            await store.WriteAsync(async writer =>
            {
                foreach (var record in batch)
                {
                    await writer.CreateAsync(AuditEventBuilder.Build(record), ct);
                }

                return batch.Count;
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, batch.Count);
        }

        batch.Clear();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} audit records")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count);
}
