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
/// The index tables' columns come from <see cref="IndexTables"/>.
/// </summary>
internal static partial class IndexSql
{
    /// <param name="resources">Type, new id (unique across the call), compact JSON body (UTF-8) and index rows of each.</param>
    /// <param name="createdBy">The partner that created each (null or left out: the gateway).</param>
    public static NpgsqlCommand InsertMany(IReadOnlyList<(string Type, string Id, byte[] Body, IndexRows Rows)> resources, DateTimeOffset lastUpdated, string?[]? createdBy = null)
    {
        var command = new NpgsqlCommand();
        var parameters = command.Parameters;
        string Bind(object value, NpgsqlDbType? dbType = null)
        {
            var parameter = new NpgsqlParameter { Value = value };
            if (dbType is { } given)
            {
                parameter.NpgsqlDbType = given;
            }

            parameters.Add(parameter);
            return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var ids = Bind(resources.Select(r => r.Id).ToArray());
        var at = Bind(lastUpdated);
        var parts = new List<string>
        {
            $"""
            new_rows as (
                insert into resource (resource_type, resource_id, version, last_updated, is_deleted, created_by)
                select t, i, 1, {at}, false, c from unnest({Bind(resources.Select(r => r.Type).ToArray())}::text[], {ids}::text[],
                    {Bind(createdBy ?? new string?[resources.Count], NpgsqlDbType.Array | NpgsqlDbType.Text)}::text[]) n(t, i, c)
                returning resource_key, resource_type, resource_id)
            """,
            $"""
            version_rows as (
                insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
                select n.resource_key, 1, n.resource_type, {at}, 'POST', b.body
                from unnest({ids}::text[], {Bind(resources.Select(r => r.Body).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Json)}::json[]) b(i, body) join new_rows n on n.resource_id = b.i)
            """,
        };

        // Only the index tables these resources have rows for: a part with no rows still opens its table and every index of it.
        var owned = resources.Select(r => (r.Id, r.Type, r.Rows)).ToList();
        foreach (var table in IndexTables.All)
        {
            var (owners, _, values) = table.Arrays(owned);
            if (owners.Length == 0)
            {
                continue;
            }

            var columns = string.Join(", ", table.Columns.Select(c => c.Name));
            var arrays = string.Join(", ", table.Columns.Select((c, i) => Bind(values[i]) + "::" + c.Type + "[]").Prepend(Bind(owners) + "::text[]"));
            parts.Add($"""
                {table.Name}_rows as (
                    insert into {table.Name} (resource_key, resource_type, {columns})
                    select n.resource_key, n.resource_type, {string.Join(", ", table.Columns.Select(c => "x." + c.Name))}
                    from unnest({arrays}) x(i, {columns}) join new_rows n on n.resource_id = x.i)
                """);
        }

        command.CommandText = "with " + string.Join(",\n", parts) + "\nselect resource_key, resource_id from new_rows";
        return command;
    }
}
