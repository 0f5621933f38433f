using System.Text.Json;
using Gateway.Fhir.Records;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.ServiceDirectory;

/// <summary>The last import of each directory source and its per-entry report (table <c>directory_import</c>), for the console.</summary>
public sealed class DirectoryImportLog(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public sealed record LastImport(string PartnerId, string Format, string Source, DateTimeOffset FinishedAt, IReadOnlyDictionary<string, int> Counts, string ReportJson);

    public async Task SaveAsync(string partnerId, string format, string source, IReadOnlyList<DirectoryEntryOutcome> report, CancellationToken ct)
    {
        var counts = report.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lines = report.Select(r => new
        {
            sourceId = r.SourceId,
            position = r.Position,
            outcome = r.Outcome,
            reference = r.Reference,
            issues = RecordReportJson.Issues(r.Issues),
        });
        await using var command = dataSource.CreateCommand("""
            insert into directory_import (partner_id, format, source, finished_at, counts, report) values ($1, $2, $3, $4, $5, $6)
            on conflict (partner_id, format) do update set source = excluded.source, finished_at = excluded.finished_at, counts = excluded.counts, report = excluded.report
            """);
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = format });
        command.Parameters.Add(new() { Value = source });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(counts), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(lines), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<LastImport>> ReadAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select partner_id, format, source, finished_at, counts::text, report::text from directory_import order by partner_id, format");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var imports = new List<LastImport>();
        while (await reader.ReadAsync(ct))
        {
            imports.Add(new LastImport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(4)) ?? [], reader.GetString(5)));
        }

        return imports;
    }
}
