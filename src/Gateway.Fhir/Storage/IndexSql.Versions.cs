using Gateway.Fhir.Search.Index;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// New versions of many existing resources in one batch (issue 18: a chunk's Task moves): the
/// current rows moved to their newest version, every version row inserted, and each resource's
/// index rows made those of its newest version (only the rows that differ deleted and inserted);
/// each a statement over arrays.
/// </summary>
internal static partial class IndexSql
{
    /// <param name="versions">Every new version, in the order written (a resource may have several); only the newest's rows are extracted.</param>
    public static void AddVersionsMany(NpgsqlBatch batch, IReadOnlyList<(long Key, string Type, int Version, string Method, byte[] Body, VersionRows Rows)> versions, DateTimeOffset lastUpdated)
    {
        var newest = versions.GroupBy(v => v.Key).Select(g => g.MaxBy(v => v.Version)).ToList();
        var keys = newest.Select(v => v.Key).ToArray();
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
        // The referral feed's rows follow the current rows' update (migration 0044's trigger), also
        // for Tasks whose owner row the replacement below keeps.
        AddIndexRowsReplaced(batch, [.. newest.Select(v => (v.Key, v.Type, v.Rows.Rows))], customPlan: true);
    }

    /// <summary>
    /// One statement that makes each resource's index rows those of <paramref name="resources"/>:
    /// it deletes only the stored rows the new version no longer has and inserts only those it
    /// adds, as HAPI FHIR's search parameter synchronisation does. A Task's status move changes
    /// two of its thirteen rows (status, modified); deleting and inserting all thirteen was the
    /// largest of a chunk's statements (issue 18, seventh pass). Compared with the rows as stored,
    /// not as the version before would index now, so rows of an older indexer are still put right.
    /// The single-write path uses it for one resource too (<see cref="AddVersionReplacingRows"/>).
    /// </summary>
    /// <param name="customPlan">Planned for the arrays' lengths each time (a chunk's thousands of rows); else generic (a single resource's few rows).</param>
    private static void AddIndexRowsReplaced(NpgsqlBatch batch, IReadOnlyList<(long Key, string Type, IndexRows Rows)> resources, bool customPlan)
    {
        var command = new NpgsqlBatchCommand();
        var parameters = command.Parameters;
        string Bind(object value)
        {
            parameters.Add(new() { Value = value });
            return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var keys = Bind(resources.Select(r => r.Key).ToArray());
        var parts = new List<string>();
        foreach (var table in IndexTables.All)
        {
            var (owners, types, values) = table.Arrays(resources);
            var name = table.Name;
            var columns = string.Join(", ", table.Columns.Select(c => c.Name));
            // Not-null columns compare with '=', so the anti-joins hash on them too.
            var same = string.Join(" and ", table.Columns.Select(c => c.Nullable ? $"n.{c.Name} is not distinct from s.{c.Name}" : $"n.{c.Name} = s.{c.Name}"));
            if (owners.Length == 0)
            {
                parts.Add($"{name}_gone as (delete from {name} s where s.resource_key = any({keys}))");
                continue;
            }

            var arrays = string.Join(", ", new[] { Bind(owners) + "::bigint[]", Bind(types) + "::text[]" }
                .Concat(table.Columns.Select((c, i) => Bind(values[i]) + "::" + c.Type + "[]")));
            parts.Add($"{name}_new as (select * from unnest({arrays}) n(resource_key, resource_type, {columns}))");
            parts.Add($"""
                {name}_gone as (delete from {name} s where s.resource_key = any({keys})
                    and not exists (select from {name}_new n where n.resource_key = s.resource_key and {same}))
                """);
            // The stored rows narrowed to the chunk's resources: without it the planner may hash the whole table.
            parts.Add($"""
                {name}_added as (insert into {name} (resource_key, resource_type, {columns})
                    select * from {name}_new n where not exists (
                        select from {name} s where s.resource_key = any({keys}) and s.resource_key = n.resource_key and {same}))
                """);
        }

        command.CommandText = "with " + string.Join(",\n", parts) + "\nselect";
        // A chunk's: planned for its arrays' lengths, as a generic plan assumes ten rows an unnest
        // and may nest-loop the anti-joins over the chunk's thousands of rows. A single resource's:
        // generic, as every table is read by resource_key, so no value can mislead the plan. Left to
        // the connection's auto mode it was planned afresh at every call (the generic plan's estimate,
        // ten keys, is ten times the custom one's): 0.8–1.5 ms a Task update (docs/performance.md,
        // "A single partner record, ninth pass").
        var mode = new NpgsqlBatchCommand($"select set_config('plan_cache_mode', '{(customPlan ? IdLookupPlans.Custom : IdLookupPlans.Generic)}', true)");
        batch.BatchCommands.Add(mode);
        batch.BatchCommands.Add(command);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("set local plan_cache_mode to default"));
    }
}
