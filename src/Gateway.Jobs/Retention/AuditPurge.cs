using Gateway.Fhir.Storage;

namespace Gateway.Jobs.Retention;

/// <summary>
/// Deletes AuditEvents stored before the audit retention cut-off (SPEC §5), for good: rows,
/// versions and index entries, a thousand per transaction. Younger AuditEvents are untouched.
/// </summary>
internal static class AuditPurge
{
    private const int PageSize = 1000;

    public static async Task<int> RunAsync(ResourceStore store, DateTimeOffset before, CancellationToken ct)
    {
        var deleted = 0;
        while (true)
        {
            var count = await store.WriteAsync(gateway => DeletePageAsync(gateway, before, ct), ct);
            deleted += count;
            if (count < PageSize)
            {
                return deleted;
            }
        }
    }

    private static async Task<int> DeletePageAsync(ResourceWriter gateway, DateTimeOffset before, CancellationToken ct)
    {
        var keys = new List<long>();
        await using (var select = gateway.Command())
        {
            select.CommandText = """
                select resource_key from resource
                where resource_type = 'AuditEvent' and last_updated < $1
                order by resource_key limit $2
                for update skip locked
                """;
            select.Parameters.Add(new() { Value = before });
            select.Parameters.Add(new() { Value = PageSize });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                keys.Add(reader.GetInt64(0));
            }
        }

        if (keys.Count == 0)
        {
            return 0;
        }

        await ResourcePurge.DeleteAsync(gateway, [.. keys], "AuditEvent", ct);
        return keys.Count;
    }
}
