using Gateway.Fhir.Search.Index;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The statements that store a version and its search index rows, in the writer's batch: the old
/// index rows deleted, then one statement that inserts the version row and the rows of the index
/// tables it has rows for (array parameters through unnest); for a new resource, its current row too.
/// </summary>
internal static partial class IndexSql
{
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
    public static NpgsqlBatchCommand InsertVersion(long key, string type, int version, DateTimeOffset lastUpdated, string method, byte[] body, IndexRows rows) =>
        VersionStatement(key, null, null, type, version, lastUpdated, method, body, rows);

    /// <summary>
    /// A new version of an existing resource: the version row, then its index rows made those of
    /// <paramref name="rows"/> by writing only the rows that differ from the stored ones (as a
    /// chunk does, <see cref="AddVersionsMany"/>); an update that changes a Task's status keeps
    /// eleven of its thirteen rows. The referral feed follows the current row's update (migration 0044).
    /// </summary>
    public static void AddVersionReplacingRows(NpgsqlBatch batch, long key, string type, int version, DateTimeOffset lastUpdated, string method, byte[] body, IndexRows rows)
    {
        batch.BatchCommands.Add(VersionStatement(key, null, null, type, version, lastUpdated, method, body, NoRows));
        AddIndexRowsReplaced(batch, [(key, type, rows)], customPlan: false);
    }

    private static readonly IndexRows NoRows = new();

    /// <summary>
    /// One statement for a new resource: its current row (version 1 at <paramref name="lastUpdated"/>),
    /// the version row and its index rows; it answers the new resource's key. Saves a create the
    /// round trip and statement of inserting its current row first (issue 18).
    /// </summary>
    public static NpgsqlBatchCommand InsertNew(string type, string id, string? createdBy, DateTimeOffset lastUpdated, string method, byte[] body, IndexRows rows) =>
        VersionStatement(null, id, createdBy, type, 1, lastUpdated, method, body, rows);

    // Only the index tables the version has rows for are in the statement: each part of a
    // data-modifying WITH runs (PostgreSQL, "Data-Modifying Statements in WITH"), and one with an
    // empty array still opens and locks its table and every index of it. At most 64 texts, so the
    // prepared statements still hit.
    private static NpgsqlBatchCommand VersionStatement(long? key, string? newId, string? createdBy, string type, int version, DateTimeOffset lastUpdated,
        string method, byte[] body, IndexRows rows)
    {
        var command = new NpgsqlBatchCommand();
        var parameters = command.Parameters;
        string Bind(object? value, NpgsqlDbType? dbType = null)
        {
            var parameter = new NpgsqlParameter { Value = value ?? DBNull.Value };
            if (dbType is { } given)
            {
                parameter.NpgsqlDbType = given;
            }

            parameters.Add(parameter);
            return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var parts = new List<string>(7);
        var typeAt = Bind(type);
        var at = Bind(lastUpdated);
        string keyOf, from;
        if (key is { } existing)
        {
            keyOf = Bind(existing);
            from = " from ";
            parts.Add($"""
                insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
                values ({keyOf}, {Bind(version)}, {typeAt}, {at}, {Bind(method)}, {Bind(body, NpgsqlDbType.Json)})
                """);
        }
        else
        {
            keyOf = "n.resource_key";
            from = " from new_row n, ";
            parts.Add($"""
                insert into resource (resource_type, resource_id, version, last_updated, is_deleted, created_by)
                values ({typeAt}, {Bind(newId)}, 1, {at}, false, {Bind(createdBy, NpgsqlDbType.Text)})
                returning resource_key
                """);
            parts.Add($"""
                insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
                select n.resource_key, 1, {typeAt}, {at}, {Bind(method)}, {Bind(body, NpgsqlDbType.Json)} from new_row n
                """);
        }

        string Rows(string table, string columns, params (Array Values, string Type)[] arrays) =>
            $"insert into {table} (resource_key, resource_type, {columns})\nselect {keyOf}, {typeAt}, u.*{from}unnest({string.Join(", ", arrays.Select(a => Bind(a.Values) + "::" + a.Type + "[]"))}) u";

        if (rows.Tokens.Count > 0)
        {
            parts.Add(Rows("search_token", "param, system, code, display",
                (rows.Tokens.Select(t => t.Param).ToArray(), "text"), (rows.Tokens.Select(t => t.System).ToArray(), "text"),
                (rows.Tokens.Select(t => t.Code).ToArray(), "text"), (rows.Tokens.Select(t => t.Text).ToArray(), "text")));
        }

        if (rows.Strings.Count > 0)
        {
            parts.Add(Rows("search_string", "param, normalized, exact",
                (rows.Strings.Select(x => x.Param).ToArray(), "text"), (rows.Strings.Select(x => x.Normalized).ToArray(), "text"), (rows.Strings.Select(x => x.Exact).ToArray(), "text")));
        }

        if (rows.Dates.Count > 0)
        {
            parts.Add(Rows("search_date", "param, start_at, end_at",
                (rows.Dates.Select(d => d.Param).ToArray(), "text"), (rows.Dates.Select(d => ToDatabase(d.Start)).ToArray(), "timestamptz"),
                (rows.Dates.Select(d => ToDatabase(d.End)).ToArray(), "timestamptz")));
        }

        if (rows.References.Count > 0)
        {
            parts.Add(Rows("search_reference", "param, target_type, target_id, url",
                (rows.References.Select(r => r.Param).ToArray(), "text"), (rows.References.Select(r => r.TargetType).ToArray(), "text"),
                (rows.References.Select(r => r.TargetId).ToArray(), "text"), (rows.References.Select(r => r.Url).ToArray(), "text")));
        }

        if (rows.Positions.Count > 0)
        {
            parts.Add(Rows("search_position", "param, latitude, longitude",
                (rows.Positions.Select(p => p.Param).ToArray(), "text"), (rows.Positions.Select(p => p.Latitude).ToArray(), "float8"),
                (rows.Positions.Select(p => p.Longitude).ToArray(), "float8")));
        }

        command.CommandText = key is null
            ? "with new_row as (" + parts[0] + "),\n" + string.Join(",\n", parts.Skip(1).Select((p, i) => $"part{i} as ({p})")) + "\nselect resource_key from new_row"
            : parts.Count == 1 ? parts[0]
            : "with " + string.Join(",\n", parts.SkipLast(1).Select((p, i) => $"part{i} as ({p})")) + "\n" + parts[^1];
        return command;
    }

    // Open period ends are DateTimeOffset.MinValue/MaxValue; Npgsql writes DateTime.MinValue/MaxValue as -infinity/infinity.
    internal static DateTime ToDatabase(DateTimeOffset instant) =>
        instant == DateTimeOffset.MinValue ? DateTime.MinValue
        : instant == DateTimeOffset.MaxValue ? DateTime.MaxValue
        : instant.UtcDateTime;
}
