using System.Text.Json;
using Gateway.Mapping;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Records;

/// <summary>The raw records partners sent and their state (table partner_record, migration 0004).</summary>
public sealed partial class RecordLog(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores a record as received, in its own committed transaction, before anything is done with
    /// it. A record with the same key stored before is returned as it is, except a rejected one,
    /// which takes the new body: the partner has sent it again, fixed.
    /// </summary>
    public async Task<ReceivedRecord> StoreAsync(string partnerId, string format, string key, string body, string source, string? batchId, int? row, DateTimeOffset now, CancellationToken ct)
    {
        // One connection, and for a new or resent rejected record one statement: a file's rows are stored one by one.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"""
            insert into partner_record (record_id, partner_id, format, record_key, received_at, source, batch_id, row_number, body, state)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received')
            on conflict (partner_id, format, record_key) do update
                set body = excluded.body, received_at = excluded.received_at, source = excluded.source,
                    batch_id = excluded.batch_id, row_number = excluded.row_number
                where partner_record.state = 'rejected'
            returning {Columns}
            """, connection);
        command.Parameters.Add(new() { Value = Guid.NewGuid().ToString() });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = format });
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = source });
        command.Parameters.Add(new() { Value = (object?)batchId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)row ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = body });
        // No row back: the record was stored before and not rejected, so it stays as it was.
        return await ReadOne(command, ct) ?? await FindAsync(connection, partnerId, format, key, ct)
            ?? throw new InvalidOperationException($"The {format} record {key} was stored but cannot be read back.");
    }

    public async Task<ReceivedRecord?> GetAsync(string recordId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(Select + " where record_id = $1");
        command.Parameters.Add(new() { Value = recordId });
        return await ReadOne(command, ct);
    }

    /// <summary>
    /// Records still <c>received</c> that were stored before <paramref name="before"/>: a process
    /// stopped between storing and applying them. Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "select record_id from partner_record where state = 'received' and received_at < $1 order by received_at limit $2");
        command.Parameters.Add(new() { Value = before });
        command.Parameters.Add(new() { Value = limit });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<ReceivedRecord?> FindAsync(NpgsqlConnection connection, string partnerId, string format, string key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Select + " where partner_id = $1 and format = $2 and record_key = $3", connection);
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = format });
        command.Parameters.Add(new() { Value = key });
        return await ReadOne(command, ct);
    }

    /// <summary>
    /// Locks the record's row inside the applying transaction and says where it stands: concurrent
    /// copies of one record wait here, and find it applied once the first commits.
    /// </summary>
    public static async Task<RecordState> LockAsync(NpgsqlCommand command, string recordId, CancellationToken ct)
    {
        command.CommandText = "select state from partner_record where record_id = $1 for update";
        command.Parameters.Add(new() { Value = recordId });
        var state = await command.ExecuteScalarAsync(ct) as string
            ?? throw new InvalidOperationException($"The record {recordId} was stored but cannot be read back.");
        return Enum.Parse<RecordState>(state, ignoreCase: true);
    }

    /// <summary>Marks the record applied inside the transaction that applied it, so the two commit together.</summary>
    public static async Task MarkAppliedAsync(NpgsqlCommand command, string recordId, IReadOnlyList<string> produced, string? taskId, DateTimeOffset? statusChangedAt, DateTimeOffset now, CancellationToken ct)
    {
        command.CommandText = """
            update partner_record set state = 'applied', issues = '[]', produced = $2, task_id = $3, status_changed_at = $4,
                   processed_at = $5, attempts = attempts + 1
            where record_id = $1
            """;
        command.Parameters.Add(new() { Value = recordId });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(produced), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = (object?)taskId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)statusChangedAt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The newest status time an applied record gave the Task, inside the applying transaction.</summary>
    public static async Task<DateTimeOffset?> LatestStatusAsync(NpgsqlCommand command, string taskId, CancellationToken ct)
    {
        command.CommandText = "select max(status_changed_at) from partner_record where task_id = $1 and state = 'applied'";
        command.Parameters.Add(new() { Value = taskId });
        return await command.ExecuteScalarAsync(ct) is DateTime latest ? new DateTimeOffset(latest, TimeSpan.Zero) : null;
    }

    /// <summary>Marks the record rejected, unless it is applied by now (applied is final); false then.</summary>
    public async Task<bool> MarkRejectedAsync(string recordId, IReadOnlyList<RecordIssue> issues, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            update partner_record set state = 'rejected', issues = $2, produced = '[]', processed_at = $3, attempts = attempts + 1
            where record_id = $1 and state <> 'applied'
            """);
        command.Parameters.Add(new() { Value = recordId });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(issues.Select(i => new IssueJson(i.CodeText, i.Location, i.Message))), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = now });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private const string Columns = "record_id, partner_id, format, record_key, received_at, source, row_number, body, state, issues::text, produced::text, processed_at, attempts";

    private const string Select = "select " + Columns + " from partner_record";

    private static async Task<ReceivedRecord?> ReadOne(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static ReceivedRecord Read(NpgsqlDataReader reader)
    {
        var issues = JsonSerializer.Deserialize<List<IssueJson>>(reader.GetString(9)) ?? [];
        return new ReceivedRecord(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetString(7),
            Enum.Parse<RecordState>(reader.GetString(8), ignoreCase: true),
            issues.ConvertAll(i => new RecordIssue(RecordIssues.CodeOf(i.Code), i.Location, i.Message)),
            JsonSerializer.Deserialize<List<string>>(reader.GetString(10)) ?? [],
            reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
            reader.GetInt32(12));
    }

    private sealed record IssueJson(string Code, string Location, string Message);
}
