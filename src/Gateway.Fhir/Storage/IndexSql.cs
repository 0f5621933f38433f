using Gateway.Fhir.Search.Index;
using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>
/// Replaces a resource's search index rows: delete the old ones, insert the new ones, one
/// statement per table with array parameters (unnest), all in the writer's batch.
/// </summary>
internal static class IndexSql
{
    /// <param name="isNew">
    /// The resource row was inserted in this transaction (version 1 of a fresh resource key), so it
    /// has no index rows yet and the four deletes are left out.
    /// </param>
    public static void AddReplaceCommands(NpgsqlBatch batch, long key, string type, IndexRows? rows, bool isNew = false)
    {
        if (!isNew)
        {
            foreach (var table in new[] { "search_token", "search_string", "search_date", "search_reference" })
            {
                var delete = new NpgsqlBatchCommand($"delete from {table} where resource_key = $1");
                delete.Parameters.Add(new() { Value = key });
                batch.BatchCommands.Add(delete);
            }
        }

        if (rows is null)
        {
            return;
        }

        if (rows.Tokens.Count > 0)
        {
            batch.BatchCommands.Add(Insert(key, type,
                "insert into search_token (resource_key, resource_type, param, system, code, display) select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::text[])",
                rows.Tokens.Select(t => t.Param).ToArray(),
                rows.Tokens.Select(t => t.System).ToArray(),
                rows.Tokens.Select(t => t.Code).ToArray(),
                rows.Tokens.Select(t => t.Text).ToArray()));
        }

        if (rows.Strings.Count > 0)
        {
            batch.BatchCommands.Add(Insert(key, type,
                "insert into search_string (resource_key, resource_type, param, normalized, exact) select $1, $2, * from unnest($3::text[], $4::text[], $5::text[])",
                rows.Strings.Select(s => s.Param).ToArray(),
                rows.Strings.Select(s => s.Normalized).ToArray(),
                rows.Strings.Select(s => s.Exact).ToArray()));
        }

        if (rows.Dates.Count > 0)
        {
            batch.BatchCommands.Add(Insert(key, type,
                "insert into search_date (resource_key, resource_type, param, start_at, end_at) select $1, $2, * from unnest($3::text[], $4::timestamptz[], $5::timestamptz[])",
                rows.Dates.Select(d => d.Param).ToArray(),
                rows.Dates.Select(d => ToDatabase(d.Start)).ToArray(),
                rows.Dates.Select(d => ToDatabase(d.End)).ToArray()));
        }

        if (rows.References.Count > 0)
        {
            batch.BatchCommands.Add(Insert(key, type,
                "insert into search_reference (resource_key, resource_type, param, target_type, target_id, url) select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::text[])",
                rows.References.Select(r => r.Param).ToArray(),
                rows.References.Select(r => r.TargetType).ToArray(),
                rows.References.Select(r => r.TargetId).ToArray(),
                rows.References.Select(r => r.Url).ToArray()));
        }
    }

    // Open period ends are DateTimeOffset.MinValue/MaxValue; Npgsql writes DateTime.MinValue/MaxValue as -infinity/infinity.
    internal static DateTime ToDatabase(DateTimeOffset instant) =>
        instant == DateTimeOffset.MinValue ? DateTime.MinValue
        : instant == DateTimeOffset.MaxValue ? DateTime.MaxValue
        : instant.UtcDateTime;

    private static NpgsqlBatchCommand Insert(long key, string type, string sql, params Array[] columns)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = type });
        foreach (var column in columns)
        {
            command.Parameters.Add(new() { Value = column });
        }

        return command;
    }
}
