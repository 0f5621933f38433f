using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Records;

/// <summary>A record of a chunk about to be stored: its format, idempotency key, raw body and row number in its file.</summary>
public sealed record NewRecord(string Format, string Key, string Body, int? Row);

/// <summary>What a record applied in a chunk wrote, to mark it applied with the rest of its chunk.</summary>
public sealed record AppliedMark(string RecordId, IReadOnlyList<string> Produced, string? TaskId, DateTimeOffset? StatusChangedAt);

/// <summary>What the chunked path needs of the record log: a chunk's records stored, and locked, in one statement each.</summary>
public sealed partial class RecordLog
{
    /// <summary>
    /// <see cref="StoreAsync"/> for a chunk of records: one committed insert for all of them, then
    /// one read of those stored before and not rejected (a statement of its own, so it sees rows a
    /// concurrent sender committed meanwhile). Keyed by (format, record key); a key twice in the
    /// chunk is one record.
    /// </summary>
    public async Task<IReadOnlyDictionary<(string Format, string Key), ReceivedRecord>> StoreManyAsync(
        string partnerId, IReadOnlyList<NewRecord> records, string source, string? batchId, DateTimeOffset now, CancellationToken ct)
    {
        // One order for every sender, so two inserting overlapping chunks at once wait for each other instead of deadlocking.
        var distinct = records.DistinctBy(r => (r.Format, r.Key)).OrderBy(r => r.Format, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        var stored = new Dictionary<(string, string), ReceivedRecord>(distinct.Count);
        if (distinct.Count == 0)
        {
            return stored;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var insert = new NpgsqlCommand($"""
            insert into partner_record (record_id, partner_id, format, record_key, received_at, source, batch_id, row_number, body, state)
            select n.id, $2, n.format, n.record_key, $3, $4, $5, n.row_number, n.body, 'received'
            from unnest($1::text[], $6::text[], $7::text[], $8::int[], $9::text[]) n(id, format, record_key, row_number, body)
            on conflict (partner_id, format, record_key) do update
                set body = excluded.body, received_at = excluded.received_at, source = excluded.source,
                    batch_id = excluded.batch_id, row_number = excluded.row_number
                where partner_record.state = 'rejected'
            returning {Columns}
            """, connection))
        {
            insert.Parameters.Add(new() { Value = distinct.Select(_ => Guid.NewGuid().ToString()).ToArray() });
            insert.Parameters.Add(new() { Value = partnerId });
            insert.Parameters.Add(new() { Value = now });
            insert.Parameters.Add(new() { Value = source });
            insert.Parameters.Add(new() { Value = (object?)batchId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = distinct.Select(r => r.Format).ToArray() });
            insert.Parameters.Add(new() { Value = distinct.Select(r => r.Key).ToArray() });
            insert.Parameters.Add(new() { Value = distinct.Select(r => r.Row).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            insert.Parameters.Add(new() { Value = distinct.Select(r => r.Body).ToArray() });
            await ReadAllAsync(insert, stored, ct);
        }

        // No row back: stored before and not rejected, so it stays as it was.
        var missing = distinct.Where(r => !stored.ContainsKey((r.Format, r.Key))).ToList();
        if (missing.Count > 0)
        {
            await using var find = new NpgsqlCommand(Select + """
                 where partner_id = $1 and (format, record_key) in (select * from unnest($2::text[], $3::text[]))
                """, connection);
            find.Parameters.Add(new() { Value = partnerId });
            find.Parameters.Add(new() { Value = missing.Select(r => r.Format).ToArray() });
            find.Parameters.Add(new() { Value = missing.Select(r => r.Key).ToArray() });
            await ReadAllAsync(find, stored, ct);
        }

        return missing.FirstOrDefault(r => !stored.ContainsKey((r.Format, r.Key))) is { } lost
            ? throw new InvalidOperationException($"The {lost.Format} record {lost.Key} was stored but cannot be read back.")
            : stored;
    }

    /// <summary>
    /// <see cref="LockAsync"/> for a chunk: the records' rows locked in one order (as they are stored) inside the
    /// applying transaction, with the state and, for one already applied, what it produced.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, (RecordState State, IReadOnlyList<string> Produced)>> LockManyAsync(NpgsqlCommand command, IReadOnlyList<string> recordIds, CancellationToken ct)
    {
        // Locked in the order StoreManyAsync's insert meets them (format, then key, ordinal): a copy of the chunk being
        // stored meanwhile waits for these rows one by one, and in another order the two could each hold what the other wants.
        command.CommandText = """
            select record_id, state, produced::text from partner_record where record_id = any($1)
            order by format collate "C", record_key collate "C" for update
            """;
        command.Parameters.Add(new() { Value = recordIds.ToArray() });
        var states = new Dictionary<string, (RecordState, IReadOnlyList<string>)>(recordIds.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            states[reader.GetString(0)] = (Enum.Parse<RecordState>(reader.GetString(1), ignoreCase: true), JsonSerializer.Deserialize<List<string>>(reader.GetString(2)) ?? []);
        }

        return recordIds.FirstOrDefault(id => !states.ContainsKey(id)) is { } lost
            ? throw new InvalidOperationException($"The record {lost} was stored but cannot be read back.")
            : states;
    }

    /// <summary>
    /// <see cref="MarkAppliedAsync"/> for a chunk's records, in one statement inside the transaction
    /// that applied them, so they commit together.
    /// </summary>
    public static async Task MarkAppliedManyAsync(NpgsqlCommand command, IReadOnlyList<AppliedMark> marks, DateTimeOffset now, CancellationToken ct)
    {
        if (marks.Count == 0)
        {
            return;
        }

        command.CommandText = """
            update partner_record p set state = 'applied', issues = '[]', produced = m.produced, task_id = m.task_id,
                   status_changed_at = m.status_changed_at, processed_at = $5, attempts = p.attempts + 1
            from unnest($1::text[], $2::jsonb[], $3::text[], $4::timestamptz[]) m(record_id, produced, task_id, status_changed_at)
            where p.record_id = m.record_id
            """;
        command.Parameters.Add(new() { Value = marks.Select(m => m.RecordId).ToArray() });
        command.Parameters.Add(new() { Value = marks.Select(m => JsonSerializer.Serialize(m.Produced)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = marks.Select(m => m.TaskId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = marks.Select(m => m.StatusChangedAt?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = now });
        var marked = await command.ExecuteNonQueryAsync(ct);
        if (marked != marks.Count)
        {
            throw new InvalidOperationException($"{marks.Count} records were to be marked applied, but {marked} were.");
        }
    }

    /// <summary><see cref="LatestStatusAsync"/> for many Tasks in one statement: each Task's newest status time (none: not in the answer).</summary>
    public static async Task<Dictionary<string, DateTimeOffset>> LatestStatusesAsync(NpgsqlCommand command, IReadOnlyCollection<string> taskIds, CancellationToken ct)
    {
        // A max per Task, each one step back along partner_record_by_task: grouped over the array,
        // it read every applied record of each Task (a case with weekly updates has hundreds).
        command.CommandText = """
            select t.task_id, l.latest
            from unnest($1::text[]) t(task_id)
            cross join lateral (select max(p.status_changed_at) as latest from partner_record p
                                where p.task_id = t.task_id and p.state = 'applied') l
            where l.latest is not null
            """;
        command.Parameters.Add(new() { Value = taskIds.ToArray() });
        var latest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            latest[reader.GetString(0)] = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero);
        }

        return latest;
    }

    private static async Task ReadAllAsync(NpgsqlCommand command, Dictionary<(string, string), ReceivedRecord> into, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var record = Read(reader);
            into[(record.Format, record.RecordKey)] = record;
        }
    }
}
