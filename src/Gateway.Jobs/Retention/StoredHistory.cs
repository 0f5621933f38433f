using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using NpgsqlTypes;

namespace Gateway.Jobs.Retention;

/// <summary>
/// Rewrites the stored bodies of a resource's earlier versions in place, inside the writer's
/// transaction: history is the one place the store otherwise never changes, and retention must
/// reach it, or <c>GET Patient/{id}/_history</c> would still show what was removed.
/// </summary>
internal static class StoredHistory
{
    /// <summary>Applies <paramref name="change"/> to every earlier version with a body; the number of versions rewritten.</summary>
    public static async Task<int> RewriteAsync(ResourceWriter gateway, string type, string id, Action<Resource> change, CancellationToken ct)
    {
        var versions = new List<(long Key, int Version, string Body)>();
        await using (var select = gateway.Command())
        {
            select.CommandText = """
                select v.resource_key, v.version, v.body::text
                from resource r join resource_version v on v.resource_key = r.resource_key
                where r.resource_type = $1 and r.resource_id = $2 and v.version < r.version and v.body is not null
                order by v.version
                for update of v
                """;
            select.Parameters.Add(new() { Value = type });
            select.Parameters.Add(new() { Value = id });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                versions.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2)));
            }
        }

        var rewritten = 0;
        foreach (var (key, version, body) in versions)
        {
            var resource = FhirSerialization.FromStoredJson(body);
            var before = FhirSerialization.ToJson(resource);
            change(resource);
            var after = FhirSerialization.ToJson(resource);
            if (after == before)
            {
                continue;
            }

            await using var update = gateway.Command();
            update.CommandText = "update resource_version set body = $3 where resource_key = $1 and version = $2";
            update.Parameters.Add(new() { Value = key });
            update.Parameters.Add(new() { Value = version });
            update.Parameters.Add(new() { Value = after, NpgsqlDbType = NpgsqlDbType.Json });
            await update.ExecuteNonQueryAsync(ct);
            rewritten++;
        }

        return rewritten;
    }
}
