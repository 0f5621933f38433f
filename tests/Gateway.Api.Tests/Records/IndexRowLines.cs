using System.Globalization;
using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// A resource's search index rows as sorted lines, as stored and as indexing it afresh gives them:
/// for tests of the writers that replace only the rows that differ (issue 18), whose stored rows
/// must come out exactly as if all had been written again.
/// </summary>
public static class IndexRowLines
{
    /// <summary>Every index row stored for the resource, one line each, sorted.</summary>
    public static async Task<List<string>> StoredAsync(NpgsqlDataSource database, long key)
    {
        await using var command = database.CreateCommand($"""
            select 'token|' || param || '|' || coalesce(system, '-') || '|' || coalesce(code, '-') || '|' || coalesce(display, '-') from search_token where resource_key = {key}
            union all select 'string|' || param || '|' || normalized || '|' || exact from search_string where resource_key = {key}
            union all select 'date|' || param || '|' || {Instant("start_at")} || '|' || {Instant("end_at")} from search_date where resource_key = {key}
            union all select 'reference|' || param || '|' || coalesce(target_type, '-') || '|' || coalesce(target_id, '-') || '|' || coalesce(url, '-') from search_reference where resource_key = {key}
            union all select 'position|' || param || '|' || latitude::text || '|' || longitude::text from search_position where resource_key = {key}
            """);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>What indexing the resource afresh gives, in the same lines.</summary>
    public static List<string> Expected(Resource resource)
    {
        var rows = SearchIndexer.Extract(resource);
        var lines = rows.Tokens.Select(t => $"token|{t.Param}|{t.System ?? "-"}|{t.Code ?? "-"}|{t.Text ?? "-"}")
            .Concat(rows.Strings.Select(s => $"string|{s.Param}|{s.Normalized}|{s.Exact}"))
            .Concat(rows.Dates.Select(d => $"date|{d.Param}|{Micros(d.Start)}|{Micros(d.End)}"))
            .Concat(rows.References.Select(r => $"reference|{r.Param}|{r.TargetType ?? "-"}|{r.TargetId ?? "-"}|{r.Url ?? "-"}"))
            .Concat(rows.Positions.Select(p => $"position|{p.Param}|{p.Latitude.ToString(CultureInfo.InvariantCulture)}|{p.Longitude.ToString(CultureInfo.InvariantCulture)}"))
            .ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Instant(string column) =>
        $"case when isfinite({column}) then ((extract(epoch from {column}) * 1000000)::bigint)::text else {column}::text end";

    private static string Micros(DateTimeOffset instant) =>
        instant == DateTimeOffset.MinValue ? "-infinity"
        : instant == DateTimeOffset.MaxValue ? "infinity"
        : ((instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(CultureInfo.InvariantCulture);
}
