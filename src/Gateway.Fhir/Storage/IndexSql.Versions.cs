using Gateway.Fhir.Search.Index;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// New versions of many existing resources in one batch (issue 18: a chunk's Task moves): their
/// index rows deleted, the current rows moved to their newest version, every version row inserted,
/// and the index rows of each resource's newest version inserted; each a statement over arrays.
/// </summary>
internal static partial class IndexSql
{
    /// <param name="versions">Every new version, in the order written (a resource may have several).</param>
    public static void AddVersionsMany(NpgsqlBatch batch, IReadOnlyList<(long Key, string Type, int Version, string Method, string Body, IndexRows Rows)> versions, DateTimeOffset lastUpdated)
    {
        var newest = versions.GroupBy(v => v.Key).Select(g => g.MaxBy(v => v.Version)).ToList();
        var keys = newest.Select(v => v.Key).ToArray();
        foreach (var table in new[] { "search_token", "search_string", "search_date", "search_reference", "search_position" })
        {
            var delete = new NpgsqlBatchCommand($"delete from {table} where resource_key = any($1)");
            delete.Parameters.Add(new() { Value = keys });
            batch.BatchCommands.Add(delete);
        }

        var current = new NpgsqlBatchCommand("""
            update resource r set version = n.version, last_updated = $3, is_deleted = false
            from unnest($1::bigint[], $2::int[]) n(resource_key, version) where r.resource_key = n.resource_key
            """);
        current.Parameters.Add(new() { Value = keys });
        current.Parameters.Add(new() { Value = newest.Select(v => v.Version).ToArray() });
        current.Parameters.Add(new() { Value = lastUpdated });
        batch.BatchCommands.Add(current);

        var rows = new NpgsqlBatchCommand("""
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            select n.resource_key, n.version, n.resource_type, $6, n.method, n.body
            from unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::json[]) n(resource_key, version, resource_type, method, body)
            """);
        rows.Parameters.Add(new() { Value = versions.Select(v => v.Key).ToArray() });
        rows.Parameters.Add(new() { Value = versions.Select(v => v.Version).ToArray() });
        rows.Parameters.Add(new() { Value = versions.Select(v => v.Type).ToArray() });
        rows.Parameters.Add(new() { Value = versions.Select(v => v.Method).ToArray() });
        rows.Parameters.Add(new() { Value = versions.Select(v => v.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json });
        rows.Parameters.Add(new() { Value = lastUpdated });
        batch.BatchCommands.Add(rows);
        batch.BatchCommands.Add(IndexRowsMany(newest.Select(v => (v.Key, v.Type, v.Rows)).ToList()));
    }

    private const string InsertIndexRowsMany = """
        with token_rows as (
            insert into search_token (resource_key, resource_type, param, system, code, display)
            select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])),
        string_rows as (
            insert into search_string (resource_key, resource_type, param, normalized, exact)
            select * from unnest($7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])),
        date_rows as (
            insert into search_date (resource_key, resource_type, param, start_at, end_at)
            select * from unnest($12::bigint[], $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[])),
        reference_rows as (
            insert into search_reference (resource_key, resource_type, param, target_type, target_id, url)
            select * from unnest($17::bigint[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[]))
        insert into search_position (resource_key, resource_type, param, latitude, longitude)
        select * from unnest($23::bigint[], $24::text[], $25::text[], $26::float8[], $27::float8[])
        """;

    private static NpgsqlBatchCommand IndexRowsMany(List<(long Key, string Type, IndexRows Rows)> resources)
    {
        var command = new NpgsqlBatchCommand(InsertIndexRowsMany);
        var tokens = resources.SelectMany(r => r.Rows.Tokens.Select(t => (r.Key, r.Type, Row: t))).ToList();
        var strings = resources.SelectMany(r => r.Rows.Strings.Select(s => (r.Key, r.Type, Row: s))).ToList();
        var dates = resources.SelectMany(r => r.Rows.Dates.Select(d => (r.Key, r.Type, Row: d))).ToList();
        var references = resources.SelectMany(r => r.Rows.References.Select(x => (r.Key, r.Type, Row: x))).ToList();
        var positions = resources.SelectMany(r => r.Rows.Positions.Select(p => (r.Key, r.Type, Row: p))).ToList();
        Add(command.Parameters,
            tokens.Select(t => t.Key).ToArray(), tokens.Select(t => t.Type).ToArray(), tokens.Select(t => t.Row.Param).ToArray(),
            tokens.Select(t => t.Row.System).ToArray(), tokens.Select(t => t.Row.Code).ToArray(), tokens.Select(t => t.Row.Text).ToArray());
        Add(command.Parameters,
            strings.Select(s => s.Key).ToArray(), strings.Select(s => s.Type).ToArray(), strings.Select(s => s.Row.Param).ToArray(),
            strings.Select(s => s.Row.Normalized).ToArray(), strings.Select(s => s.Row.Exact).ToArray());
        Add(command.Parameters,
            dates.Select(d => d.Key).ToArray(), dates.Select(d => d.Type).ToArray(), dates.Select(d => d.Row.Param).ToArray(),
            dates.Select(d => ToDatabase(d.Row.Start)).ToArray(), dates.Select(d => ToDatabase(d.Row.End)).ToArray());
        Add(command.Parameters,
            references.Select(x => x.Key).ToArray(), references.Select(x => x.Type).ToArray(), references.Select(x => x.Row.Param).ToArray(),
            references.Select(x => x.Row.TargetType).ToArray(), references.Select(x => x.Row.TargetId).ToArray(), references.Select(x => x.Row.Url).ToArray());
        Add(command.Parameters,
            positions.Select(p => p.Key).ToArray(), positions.Select(p => p.Type).ToArray(), positions.Select(p => p.Row.Param).ToArray(),
            positions.Select(p => p.Row.Latitude).ToArray(), positions.Select(p => p.Row.Longitude).ToArray());
        return command;
    }
}
