using Gateway.Fhir.Search.Index;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The statements that store a version and its search index rows, in the writer's batch: the old
/// index rows deleted, then one statement that inserts the version row and the rows of all five
/// index tables (array parameters through unnest).
/// </summary>
internal static partial class IndexSql
{
    // Each part of a data-modifying WITH runs exactly once, whether or not the outer statement reads
    // it (PostgreSQL, "Data-Modifying Statements in WITH"); an empty array inserts no rows.
    private const string InsertVersionAndRows = """
        with version_row as (
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            values ($1, $3, $2, $4, $5, $6)),
        token_rows as (
            insert into search_token (resource_key, resource_type, param, system, code, display)
            select $1, $2, * from unnest($7::text[], $8::text[], $9::text[], $10::text[])),
        string_rows as (
            insert into search_string (resource_key, resource_type, param, normalized, exact)
            select $1, $2, * from unnest($11::text[], $12::text[], $13::text[])),
        date_rows as (
            insert into search_date (resource_key, resource_type, param, start_at, end_at)
            select $1, $2, * from unnest($14::text[], $15::timestamptz[], $16::timestamptz[])),
        reference_rows as (
            insert into search_reference (resource_key, resource_type, param, target_type, target_id, url)
            select $1, $2, * from unnest($17::text[], $18::text[], $19::text[], $20::text[]))
        insert into search_position (resource_key, resource_type, param, latitude, longitude)
        select $1, $2, * from unnest($21::text[], $22::float8[], $23::float8[])
        """;

    /// <summary>Deletes the resource's index rows (a resource made in this transaction has none, so needs none of these).</summary>
    public static void AddDeleteCommands(NpgsqlBatch batch, long key)
    {
        foreach (var table in new[] { "search_token", "search_string", "search_date", "search_reference", "search_position" })
        {
            var delete = new NpgsqlBatchCommand($"delete from {table} where resource_key = $1");
            delete.Parameters.Add(new() { Value = key });
            batch.BatchCommands.Add(delete);
        }
    }

    /// <summary>One statement: the version row with its body, and its index rows.</summary>
    public static NpgsqlBatchCommand InsertVersion(long key, string type, int version, DateTimeOffset lastUpdated, string method, string body, IndexRows rows)
    {
        var command = new NpgsqlBatchCommand(InsertVersionAndRows);
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = lastUpdated });
        command.Parameters.Add(new() { Value = method });
        command.Parameters.Add(new() { Value = body, NpgsqlDbType = NpgsqlDbType.Json });
        Add(command.Parameters,
            rows.Tokens.Select(t => t.Param).ToArray(),
            rows.Tokens.Select(t => t.System).ToArray(),
            rows.Tokens.Select(t => t.Code).ToArray(),
            rows.Tokens.Select(t => t.Text).ToArray());
        Add(command.Parameters,
            rows.Strings.Select(s => s.Param).ToArray(),
            rows.Strings.Select(s => s.Normalized).ToArray(),
            rows.Strings.Select(s => s.Exact).ToArray());
        Add(command.Parameters,
            rows.Dates.Select(d => d.Param).ToArray(),
            rows.Dates.Select(d => ToDatabase(d.Start)).ToArray(),
            rows.Dates.Select(d => ToDatabase(d.End)).ToArray());
        Add(command.Parameters,
            rows.References.Select(r => r.Param).ToArray(),
            rows.References.Select(r => r.TargetType).ToArray(),
            rows.References.Select(r => r.TargetId).ToArray(),
            rows.References.Select(r => r.Url).ToArray());
        Add(command.Parameters,
            rows.Positions.Select(p => p.Param).ToArray(),
            rows.Positions.Select(p => p.Latitude).ToArray(),
            rows.Positions.Select(p => p.Longitude).ToArray());
        return command;
    }

    // Open period ends are DateTimeOffset.MinValue/MaxValue; Npgsql writes DateTime.MinValue/MaxValue as -infinity/infinity.
    internal static DateTime ToDatabase(DateTimeOffset instant) =>
        instant == DateTimeOffset.MinValue ? DateTime.MinValue
        : instant == DateTimeOffset.MaxValue ? DateTime.MaxValue
        : instant.UtcDateTime;

    private static void Add(NpgsqlParameterCollection parameters, params Array[] columns)
    {
        foreach (var column in columns)
        {
            parameters.Add(new() { Value = column });
        }
    }
}
