using Gateway.Fhir.Access;
using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.Storage;
using Npgsql;

namespace Gateway.Fhir.Search;

/// <summary>
/// Runs a <see cref="SearchRequest"/>: the page of matches in keyset order (one row beyond the
/// page tells whether there is more), the total when asked, then the included resources.
/// </summary>
/// <remarks>
/// Commands come from <c>newCommand</c>: the pool's in the host, a transaction's inside a bundle,
/// so a bundle's search entry sees the bundle's own writes.
/// </remarks>
public sealed class SearchEngine(Func<NpgsqlCommand> newCommand)
{
    // A page's includes are capped so one search cannot pull a whole store into memory.
    private const int MaxIncluded = 1000;

    /// <summary>Runs the search as <paramref name="caller"/> sees the store (null: everything).</summary>
    public async Task<SearchResult> SearchAsync(SearchRequest request, string baseUrl, CallingPartner? caller, CancellationToken ct)
    {
        long? total = request.Total ? await CountAsync(request.Criteria, baseUrl, caller, ct) : null;
        if (request.CountOnly)
        {
            return new SearchResult([], [], total, null, null);
        }

        var rows = await PageAsync(request, baseUrl, caller, ct);
        var backwards = request.Cursor?.Backwards == true;
        var more = rows.Count > request.Count;
        var page = rows.Take(request.Count).ToList();
        if (backwards)
        {
            page.Reverse();
        }

        var next = page.Count > 0 && (backwards || more) ? page[^1].Position with { Backwards = false } : null;
        var previous = page.Count > 0 && request.Cursor is not null && (!backwards || more) ? page[0].Position with { Backwards = true } : null;
        var matches = page.ConvertAll(r => r.Stored);
        var included = await IncludeAsync(request, page.ConvertAll(r => r.Position.ResourceKey), matches, caller, ct);
        return new SearchResult(matches, included, total, next, previous);
    }

    private async Task<long> CountAsync(SearchCriteria criteria, string baseUrl, CallingPartner? caller, CancellationToken ct)
    {
        await using var command = newCommand();
        command.CommandText = $"select count(*) from resource r where {SearchSql.WhereClause(command, criteria, caller, baseUrl)}";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task<List<(StoredResource Stored, PageCursor Position)>> PageAsync(SearchRequest request, string baseUrl, CallingPartner? caller, CancellationToken ct)
    {
        await using var command = newCommand();
        BuildPageQuery(command, request, baseUrl, caller);
        var rows = new List<(StoredResource, PageCursor)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var stored = StoredResource.FromJson(reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<byte[]>(5));
            var sortValues = Enumerable.Range(0, request.Sort.Count).Select(i => reader.GetString(6 + i)).ToList();
            rows.Add((stored, new PageCursor(sortValues, reader.GetInt64(0), false)));
        }

        return rows;
    }

    /// <summary>The page query: filter, sort expressions, keyset after the cursor, one row more than the page.</summary>
    internal static void BuildPageQuery(NpgsqlCommand command, SearchRequest request, string baseUrl, CallingPartner? caller = null)
    {
        if (request.Sort.Count == 0 && SearchSql.DrivingKeys(command, request.Criteria, caller, baseUrl) is { } driving)
        {
            BuildKeyOrderPageQuery(command, request, driving, baseUrl, caller);
            return;
        }

        var where = SearchSql.WhereClause(command, request.Criteria, caller, baseUrl);
        var keys = request.Sort.Select((key, i) =>
        {
            var (expression, sqlType) = SortSql.Expression(command, key, "r");
            return (Expression: expression, Column: $"m.s{i}", SqlType: sqlType, key.Descending);
        }).ToList();
        var backwards = request.Cursor?.Backwards == true;
        var keyset = request.Cursor is { } cursor && cursor.SortValues.Count == keys.Count
            ? "where " + SortSql.After(command, keys.ConvertAll(k => (k.Column, k.SqlType, k.Descending)), cursor, "m.resource_key")
            : "";
        var order = keys.Select(k => $"{k.Column} {(k.Descending != backwards ? "desc" : "asc")}")
            .Append($"m.resource_key {(backwards ? "desc" : "asc")}");

        command.CommandText = $"""
            select m.resource_key, m.resource_type, m.resource_id, m.version, m.last_updated, v.body{string.Concat(keys.Select(k => $", {k.Column}::text"))}
            from (
              select r.resource_key, r.resource_type, r.resource_id, r.version, r.last_updated{string.Concat(keys.Select((k, i) => $", {k.Expression} as s{i}"))}
              from resource r
              where {where}
            ) m
            join resource_version v on v.resource_key = m.resource_key and v.version = m.version
            {keyset}
            order by {string.Join(", ", order)}
            limit {command.Bind(request.Count + 1)}
            """;
    }

    // In key order (no _sort): walk the keys one clause matches in order, check the whole condition
    // for each (LATERAL, so PostgreSQL probes per key instead of hashing every match of every
    // clause), stop when the page is full, and only then read the page's bodies. On 100,000 Tasks of
    // one owner this took a page from 12 s to 2 ms (docs/performance.md).
    private static void BuildKeyOrderPageQuery(NpgsqlCommand command, SearchRequest request, string driving, string baseUrl, CallingPartner? caller)
    {
        var where = SearchSql.WhereClause(command, request.Criteria, caller, baseUrl);
        var backwards = request.Cursor?.Backwards == true;
        var direction = backwards ? "desc" : "asc";
        var keyset = request.Cursor is { SortValues.Count: 0 } cursor ? "where " + SortSql.After(command, [], cursor, "d.resource_key") : "";
        command.CommandText = $"""
            select m.resource_key, m.resource_type, m.resource_id, m.version, m.last_updated, v.body
            from (
              select r.resource_key, r.resource_type, r.resource_id, r.version, r.last_updated
              from (select distinct d.resource_key from ({driving}) d {keyset} order by d.resource_key {direction}) d
              cross join lateral (select * from resource r where r.resource_key = d.resource_key and {where}) r
              order by d.resource_key {direction}
              limit {command.Bind(request.Count + 1)}
            ) m
            join resource_version v on v.resource_key = m.resource_key and v.version = m.version
            order by m.resource_key {direction}
            """;
    }

    private async Task<List<StoredResource>> IncludeAsync(SearchRequest request, List<long> keys, List<StoredResource> matches, CallingPartner? caller, CancellationToken ct)
    {
        var included = new List<StoredResource>();
        if (keys.Count == 0 || (request.Includes.Count == 0 && request.RevIncludes.Count == 0))
        {
            return included;
        }

        var seen = matches.Select(m => (m.ResourceType, m.Id)).ToHashSet();
        foreach (var include in request.Includes)
        {
            await using var command = newCommand();
            IncludeSql.Forward(command, include, keys, MaxIncluded, caller);
            await ReadInto(command, included, seen, ct);
        }

        foreach (var include in request.RevIncludes)
        {
            await using var command = newCommand();
            IncludeSql.Reverse(command, include, request.Criteria.ResourceType, matches.ConvertAll(m => m.Id), MaxIncluded, caller);
            await ReadInto(command, included, seen, ct);
        }

        return included;
    }

    private static async Task ReadInto(NpgsqlCommand command, List<StoredResource> included, HashSet<(string, string)> seen, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct) && included.Count < MaxIncluded)
        {
            var stored = StoredResource.FromJson(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<byte[]>(4));
            if (seen.Add((stored.ResourceType, stored.Id)))
            {
                included.Add(stored);
            }
        }
    }
}
