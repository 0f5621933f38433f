using System.Text.Json;
using Gateway.Mapping;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Records;

/// <summary>A rejected partner record as operators see it: where it came from and why it was refused (not its content).</summary>
public sealed record RejectedRecord(string RecordId, string PartnerId, string Format, string RecordKey, DateTimeOffset ReceivedAt, string Source,
    DateTimeOffset? ProcessedAt, int Attempts, IReadOnlyList<RecordIssue> Issues);

/// <summary>The records left rejected (table partner_record), newest first, for the console's list with its replay buttons.</summary>
public sealed class RejectedRecords(NpgsqlDataSource db)
{
    public const int Limit = 100;

    public async Task<IReadOnlyList<RejectedRecord>> ListAsync(string? partnerId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select record_id, partner_id, format, record_key, received_at, source, processed_at, attempts, issues::text
            from partner_record where state = 'rejected' and ($1::text is null or partner_id = $1)
            order by received_at desc, record_id limit $2
            """);
        command.Parameters.Add(new() { Value = string.IsNullOrWhiteSpace(partnerId) ? DBNull.Value : partnerId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Limit });
        var records = new List<RejectedRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            records.Add(new RejectedRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt32(7), Issues(reader.GetString(8))));
        }

        return records;
    }

    /// <summary>Records each partner had rejected since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            "select partner_id, count(*)::int from partner_record where state = 'rejected' and coalesce(processed_at, received_at) >= $1 group by partner_id");
        command.Parameters.Add(new() { Value = since });
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    private static List<RecordIssue> Issues(string json) =>
        (JsonSerializer.Deserialize<List<IssueJson>>(json) ?? []).ConvertAll(i => new RecordIssue(RecordIssues.CodeOf(i.Code), i.Location, i.Message));

    private sealed record IssueJson(string Code, string Location, string Message);
}
