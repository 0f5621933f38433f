using System.Data;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Fhir.Access;
using Gateway.Fhir.Export;
using Gateway.Fhir.Partners;
using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Jobs.Export;

/// <summary>
/// Runs one Bulk Data export (SPEC §10, docs/guide-evaluators.md): reads, as the evaluator, every
/// resource of the requested types its research-use condition allows in one snapshot of the
/// store, pseudonymises each with the evaluator's key and streams it into NDJSON files in the
/// database. A rerun starts the export's files again; a cancelled export stops at its next chunk.
/// </summary>
public sealed partial class BulkExportJob(
    NpgsqlDataSource dataSource, ExportJobs exports, ExportOptions options, PartnerDirectory partners, TimeProvider clock, ILogger<BulkExportJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid exportId, CancellationToken ct)
    {
        var job = await exports.FindAsync(exportId, clientId: null, ct);
        if (job is null || job.Status is ExportJob.Completed or ExportJob.Failed)
        {
            return; // cancelled, expired or done already
        }

        if (partners.Find(job.PartnerId) is not { Kind: PartnerKinds.Evaluator } partner)
        {
            await FinishAsync(exportId, ExportJob.Failed, $"{job.PartnerId} is no longer an evaluator in the partners file.", ct);
            return;
        }

        var evaluator = new CallingPartner(job.ClientId, partner.Id, partner.Kind, SmartScopes.Parse(""));
        try
        {
            var pseudonyms = await ExportPseudonymKeys.ForAsync(dataSource, partner.Id, clock.GetUtcNow(), ct);
            await ExportAsync(job, evaluator, pseudonyms, ct);
            LogExported(logger, exportId, partner.Id);
        }
        catch (ExportCancelledException)
        {
            LogCancelled(logger, exportId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Told to the client as a failed export (500 on its status URL) rather than left running for ever.
            LogFailed(logger, e, exportId);
            await FinishAsync(exportId, ExportJob.Failed, "The export failed on the server; ask again, and tell the gateway's operators if it fails again.", ct);
        }
    }

    private async Task ExportAsync(ExportJob job, CallingPartner evaluator, ExportPseudonyms pseudonyms, CancellationToken ct)
    {
        await using var write = await dataSource.OpenConnectionAsync(ct);
        await Execute(write, "delete from export_file where export_id = $1", ct, job.Id);

        // One snapshot for every type: the files agree with each other and with transactionTime.
        await using var read = await dataSource.OpenConnectionAsync(ct);
        await using var snapshot = await read.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var begin = new NpgsqlCommand("select 1", read, snapshot))
        {
            // The snapshot is taken at the transaction's first statement; transactionTime is read on
            // the gateway's clock, the one every meta.lastUpdated (and so _since) is written on.
            await begin.ExecuteScalarAsync(ct);
            var now = clock.GetUtcNow();
            var transactionTime = now.AddTicks(-(now.Ticks % 10)); // PostgreSQL's microseconds, as ResourceStore stores lastUpdated
            if (await Execute(write, "update export_job set status = 'running', transaction_time = $2 where export_id = $1", ct, job.Id, transactionTime) == 0)
            {
                throw new ExportCancelledException(job.Id);
            }
        }

        using var files = new ExportFileWriter(write, job.Id, options.ChunkBytes, options.ResourcesPerFile);
        for (var i = 0; i < job.Types.Count; i++)
        {
            var type = job.Types[i];
            if (await Execute(write, "update export_job set progress = $2 where export_id = $1", ct, job.Id, $"exporting {type} ({i + 1} of {job.Types.Count} types)") == 0)
            {
                throw new ExportCancelledException(job.Id);
            }

            await using var command = ExportReader.Command(read, evaluator, type, job.Since, job.GroupId);
            command.Transaction = snapshot;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var stored = JsonNode.Parse(reader.GetString(0))!.AsObject();
                var exported = ExportPseudonymiser.Pseudonymise(stored, pseudonyms);
                await files.WriteAsync(type, Encoding.UTF8.GetBytes(exported.ToJsonString()), ct);
            }

            await files.FinishFileAsync(ct);
        }

        await FinishAsync(job.Id, ExportJob.Completed, null, ct);
    }

    private async Task FinishAsync(Guid exportId, string status, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Execute(connection, "update export_job set status = $2, error = $3, progress = $2, completed_at = $4, expires_at = $5 where export_id = $1", ct,
            exportId, status, (object?)error ?? DBNull.Value, now, now + options.FileLifetime);
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk export {ExportId} for {PartnerId} completed")]
    private static partial void LogExported(ILogger logger, Guid exportId, string partnerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk export {ExportId} was cancelled by its client while it ran")]
    private static partial void LogCancelled(ILogger logger, Guid exportId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk export {ExportId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid exportId);
}
