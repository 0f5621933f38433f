using Gateway.Fhir.Search.Index;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// Many new resources in one statement: their current rows, version 1 with its body, and their
/// index rows, each column an array parameter (unnest), joined back by resource id. For the
/// gateway's own records that nothing follows up (the audit trail, a chunk's Provenance) and a
/// chunk's new measures (the writer notifies and refreshes audiences itself): a flush of 500
/// AuditEvents is one round trip instead of a thousand. It answers the new resources' keys and ids.
/// </summary>
internal static partial class IndexSql
{
    private const string InsertManyAndRows = """
        with new_rows as (
            insert into resource (resource_type, resource_id, version, last_updated, is_deleted, created_by)
            select t, i, 1, $3, false, c from unnest($1::text[], $2::text[], $27::text[]) n(t, i, c)
            returning resource_key, resource_type, resource_id),
        version_rows as (
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            select n.resource_key, 1, n.resource_type, $3, 'POST', b.body
            from unnest($2::text[], $4::json[]) b(i, body) join new_rows n on n.resource_id = b.i),
        token_rows as (
            insert into search_token (resource_key, resource_type, param, system, code, display)
            select n.resource_key, n.resource_type, x.param, x.system, x.code, x.display
            from unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) x(i, param, system, code, display) join new_rows n on n.resource_id = x.i),
        string_rows as (
            insert into search_string (resource_key, resource_type, param, normalized, exact)
            select n.resource_key, n.resource_type, x.param, x.normalized, x.exact
            from unnest($10::text[], $11::text[], $12::text[], $13::text[]) x(i, param, normalized, exact) join new_rows n on n.resource_id = x.i),
        date_rows as (
            insert into search_date (resource_key, resource_type, param, start_at, end_at)
            select n.resource_key, n.resource_type, x.param, x.start_at, x.end_at
            from unnest($14::text[], $15::text[], $16::timestamptz[], $17::timestamptz[]) x(i, param, start_at, end_at) join new_rows n on n.resource_id = x.i),
        reference_rows as (
            insert into search_reference (resource_key, resource_type, param, target_type, target_id, url)
            select n.resource_key, n.resource_type, x.param, x.target_type, x.target_id, x.url
            from unnest($18::text[], $19::text[], $20::text[], $21::text[], $22::text[]) x(i, param, target_type, target_id, url) join new_rows n on n.resource_id = x.i),
        position_rows as (
            insert into search_position (resource_key, resource_type, param, latitude, longitude)
            select n.resource_key, n.resource_type, x.param, x.latitude, x.longitude
            from unnest($23::text[], $24::text[], $25::float8[], $26::float8[]) x(i, param, latitude, longitude) join new_rows n on n.resource_id = x.i)
        select resource_key, resource_id from new_rows
        """;

    /// <param name="resources">Type, new id (unique across the call), compact JSON body and index rows of each.</param>
    /// <param name="createdBy">The partner that created each (null or left out: the gateway).</param>
    public static NpgsqlCommand InsertMany(IReadOnlyList<(string Type, string Id, string Body, IndexRows Rows)> resources, DateTimeOffset lastUpdated, string?[]? createdBy = null)
    {
        var command = new NpgsqlCommand(InsertManyAndRows);
        var tokens = resources.SelectMany(r => r.Rows.Tokens.Select(t => (r.Id, Row: t))).ToList();
        var strings = resources.SelectMany(r => r.Rows.Strings.Select(s => (r.Id, Row: s))).ToList();
        var dates = resources.SelectMany(r => r.Rows.Dates.Select(d => (r.Id, Row: d))).ToList();
        var references = resources.SelectMany(r => r.Rows.References.Select(x => (r.Id, Row: x))).ToList();
        var positions = resources.SelectMany(r => r.Rows.Positions.Select(p => (r.Id, Row: p))).ToList();
        command.Parameters.Add(new() { Value = resources.Select(r => r.Type).ToArray() });
        command.Parameters.Add(new() { Value = resources.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new() { Value = lastUpdated });
        command.Parameters.Add(new() { Value = resources.Select(r => r.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json });
        Add(command.Parameters,
            tokens.Select(t => t.Id).ToArray(), tokens.Select(t => t.Row.Param).ToArray(), tokens.Select(t => t.Row.System).ToArray(),
            tokens.Select(t => t.Row.Code).ToArray(), tokens.Select(t => t.Row.Text).ToArray());
        Add(command.Parameters,
            strings.Select(s => s.Id).ToArray(), strings.Select(s => s.Row.Param).ToArray(), strings.Select(s => s.Row.Normalized).ToArray(), strings.Select(s => s.Row.Exact).ToArray());
        Add(command.Parameters,
            dates.Select(d => d.Id).ToArray(), dates.Select(d => d.Row.Param).ToArray(),
            dates.Select(d => ToDatabase(d.Row.Start)).ToArray(), dates.Select(d => ToDatabase(d.Row.End)).ToArray());
        Add(command.Parameters,
            references.Select(x => x.Id).ToArray(), references.Select(x => x.Row.Param).ToArray(), references.Select(x => x.Row.TargetType).ToArray(),
            references.Select(x => x.Row.TargetId).ToArray(), references.Select(x => x.Row.Url).ToArray());
        Add(command.Parameters,
            positions.Select(p => p.Id).ToArray(), positions.Select(p => p.Row.Param).ToArray(),
            positions.Select(p => p.Row.Latitude).ToArray(), positions.Select(p => p.Row.Longitude).ToArray());
        command.Parameters.Add(new() { Value = createdBy ?? new string?[resources.Count], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }
}
