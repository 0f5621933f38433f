using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Export;

/// <summary>
/// The exports' rows (<c>export_job</c>, <c>export_file</c>): kick-off, status, cancel, expiry.
/// Every question a client asks names its client id, so an export is somebody else's is the same
/// as it not being there (404).
/// </summary>
public sealed class ExportJobs(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns =
        "export_id, client_id, partner_id, request_url, group_id, types, since, status, progress, error, requested_at, transaction_time, expires_at";

    public async Task<ExportJob> CreateAsync(string clientId, string partnerId, string requestUrl, string? groupId, IReadOnlyList<string> types, DateTimeOffset? since, CancellationToken ct)
    {
        var job = new ExportJob(Guid.NewGuid(), clientId, partnerId, requestUrl, groupId, types, since, ExportJob.Queued, "queued", null, clock.GetUtcNow(), null, null);
        await using var command = dataSource.CreateCommand($"""
            insert into export_job (export_id, client_id, partner_id, request_url, group_id, types, since, status, progress, requested_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """);
        command.Parameters.Add(new() { Value = job.Id });
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = requestUrl });
        command.Parameters.Add(new() { Value = (object?)groupId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = types.ToArray() });
        command.Parameters.Add(new() { Value = (object?)since ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = job.Status });
        command.Parameters.Add(new() { Value = job.Progress });
        command.Parameters.Add(new() { Value = job.RequestedAt });
        await command.ExecuteNonQueryAsync(ct);
        return job;
    }

    /// <summary>The export, when it exists, has not expired and belongs to <paramref name="clientId"/> (null: the gateway's own look, for the job).</summary>
    public async Task<ExportJob?> FindAsync(Guid id, string? clientId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select {Columns} from export_job
            where export_id = $1 and ($2::text is null or client_id = $2) and (expires_at is null or expires_at > $3)
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = (object?)clientId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new ExportJob(
            reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetFieldValue<string[]>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10),
            reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12));
    }

    public async Task<IReadOnlyList<ExportFile>> FilesAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select file_number, resource_type, resource_count from export_file where export_id = $1 order by file_number");
        command.Parameters.Add(new() { Value = id });
        var files = new List<ExportFile>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            files.Add(new ExportFile(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return files;
    }

    /// <summary>
    /// Writes the file's bytes to <paramref name="destination"/> a chunk at a time; false when the
    /// client has no such file (another client's, not completed, expired).
    /// </summary>
    public async Task<bool> CopyFileAsync(Guid id, int fileNumber, string clientId, Func<Task<Stream>> destination, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("""
            select c.data
            from export_job j
            join export_file f on f.export_id = j.export_id and f.file_number = $2
            left join export_file_chunk c on c.export_id = f.export_id and c.file_number = f.file_number
            where j.export_id = $1 and j.client_id = $3 and j.status = 'completed' and j.expires_at > $4
            order by c.chunk
            """, connection);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = fileNumber });
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        Stream? output = null;
        while (await reader.ReadAsync(ct))
        {
            output ??= await destination();
            if (!await reader.IsDBNullAsync(0, ct))
            {
                await using var chunk = await reader.GetStreamAsync(0, ct);
                await chunk.CopyToAsync(output, ct);
            }
        }

        return output is not null;
    }

    /// <summary>Cancels (Bulk Data IG: DELETE on the status URL): the export and its files are gone; a job still running stops at its next chunk.</summary>
    public async Task<bool> DeleteAsync(Guid id, string clientId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("delete from export_job where export_id = $1 and client_id = $2 and (expires_at is null or expires_at > $3)");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>
    /// Fails every export still queued or running <paramref name="lifetime"/> after it was asked
    /// for: its job was lost (a Hangfire job deleted, a server gone for good), and without this it
    /// would answer 202 for ever and never expire. Its client sees why, then it expires as a
    /// finished one does. How many.
    /// </summary>
    public async Task<int> GiveUpStaleAsync(TimeSpan lifetime, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            update export_job
            set status = 'failed', progress = null, completed_at = $1, expires_at = $1 + $2,
                error = 'it did not finish within ' || $3 || ' of being asked for, so its job is taken to be lost; ask again.'
            where status in ('queued', 'running') and requested_at <= $1 - $2
            """);
        var now = clock.GetUtcNow();
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = lifetime });
        command.Parameters.Add(new() { Value = lifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture) });
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes every export whose files have expired, files and all; how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("delete from export_job where expires_at <= $1");
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(ct);
    }
}
