using Gateway.Fhir.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Fhir.Audit;

/// <summary>
/// Stores the audit trail's records as AuditEvent resources by group commit: whatever is queued
/// when the writer is free goes into one transaction and one statement (up to 500), and every
/// request waiting for those records is released on commit. Requests that arrive during a flush
/// wait for the next one. There is no wait to fill a batch: under load the batch fills while the
/// previous one commits, and a lone request pays one insert. Drains the queue on shutdown. Stores
/// on a connection of its own (<see cref="AuditConnections"/>), never the write pool's.
/// </summary>
public sealed partial class AuditWriter(AuditTrail trail, ResourceStore store, AuditConnections connections, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private const int MaxAttempts = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingAudit>(BatchSize);
        try
        {
            while (await trail.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAvailable(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down (the server has stopped taking requests by now): what is queued still goes to the database.
            trail.Complete();
            await WriteAvailable(batch);
        }
    }

    private async Task WriteAvailable(List<PendingAudit> batch)
    {
        while (trail.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
            if (batch.Count == BatchSize)
            {
                await Flush(batch);
            }
        }

        await Flush(batch);
    }

    private async Task Flush(List<PendingAudit> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        // A database that is briefly away (a restart, a failover) gets a few tries; after that the
        // waiting requests are failed, and their responses are withheld (fail closed).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Store(batch);
                batch.ForEach(p => p.Committed());
                break;
            }
            catch (Exception e)
            {
                if (attempt == MaxAttempts)
                {
                    LogFailed(logger, e, batch.Count, MaxAttempts);
                    if (batch.Count > 1 && RefusedByTheDatabase(e))
                    {
                        await StoreOneByOne(batch);
                    }
                    else
                    {
                        batch.ForEach(p => p.Failed(Unavailable(e)));
                    }

                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }

        batch.Clear();
    }

    private Task<int> Store(List<PendingAudit> pending) =>
        store.WriteAsync(async writer =>
        {
            await writer.CreateUnwatchedAsync(pending.ConvertAll<Hl7.Fhir.Model.Resource>(p => AuditEventBuilder.Build(p.Record)), CancellationToken.None);
            return pending.Count;
        }, CancellationToken.None, connections: connections.DataSource);

    /// <summary>
    /// A group the database refused is stored again one record at a time, so a record it cannot
    /// take (one request's) withholds only its own response, not those of the requests that
    /// happened to wait beside it.
    /// </summary>
    private async Task StoreOneByOne(List<PendingAudit> batch)
    {
        foreach (var pending in batch)
        {
            try
            {
                await Store([pending]);
                pending.Committed();
            }
            catch (Exception e)
            {
                pending.Failed(Unavailable(e));
            }
        }
    }

    // The server refused the statement (a constraint, a trigger, a value it cannot hold), as
    // opposed to a connection that failed or a server that is away or out of resources (SQLSTATE
    // classes 08, 57, 53), where every record of the group would fail alike.
    private static bool RefusedByTheDatabase(Exception e) =>
        e is Npgsql.PostgresException { SqlState: var state } && !state.StartsWith("08", StringComparison.Ordinal)
            && !state.StartsWith("57", StringComparison.Ordinal) && !state.StartsWith("53", StringComparison.Ordinal);

    private static AuditTrailUnavailableException Unavailable(Exception e) =>
        new($"The audit trail could not store this request's AuditEvent ({e.Message}); its response is withheld.", e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} audit records after {Attempts} attempts; a refused group is tried again a record at a time, and the requests of what still fails get no response")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count, int attempts);
}
