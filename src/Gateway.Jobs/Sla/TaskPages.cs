using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Sla;

/// <summary>
/// Walks the current Tasks matching a query in pages of <see cref="PageSize"/>, each page in its own
/// transaction as the gateway, so a run holds no lock for long and a crash loses at most one page.
/// </summary>
internal static class TaskPages
{
    public const int PageSize = 100;

    /// <summary>
    /// As <see cref="ForEachAsync"/>, for the current Tasks carrying the tag <paramref name="system"/>|<paramref name="code"/>
    /// in <c>meta.tag</c>: the search has no <c>_tag</c> on Task, so this asks the stored JSON.
    /// </summary>
    public static Task<int> ForEachTaggedAsync(ResourceStore store, string system, string code, Func<ResourceWriter, FhirTask, Task<bool>> visit, CancellationToken ct)
    {
        var tag = System.Text.Json.JsonSerializer.Serialize(new[] { new { system, code } });
        return WalkAsync(store, async (writer, after) =>
        {
            var ids = new List<string>();
            await using var command = writer.Command();
            command.CommandText = """
                select r.resource_id
                from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where r.resource_type = 'Task' and (v.body -> 'meta' -> 'tag')::jsonb @> $1::jsonb and r.resource_id > $2
                order by r.resource_id limit $3
                """;
            command.Parameters.Add(new() { Value = tag });
            command.Parameters.Add(new() { Value = after ?? "" });
            command.Parameters.Add(new() { Value = PageSize });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }, visit, ct);
    }

    /// <summary>Calls <paramref name="visit"/> for each matching Task; it returns whether it changed the Task. The count of changed Tasks.</summary>
    public static Task<int> ForEachAsync(ResourceStore store, string query, Func<ResourceWriter, FhirTask, Task<bool>> visit, CancellationToken ct)
    {
        var criteria = SearchQuery.Parse("Task", query);
        return WalkAsync(store, (writer, after) => writer.FindIdPageAsync(criteria, PageSize, after, ct), visit, ct);
    }

    // One transaction per page of ids (in id order, after the last id of the page before).
    private static async Task<int> WalkAsync(ResourceStore store, Func<ResourceWriter, string?, Task<IReadOnlyList<string>>> page, Func<ResourceWriter, FhirTask, Task<bool>> visit, CancellationToken ct)
    {
        var changed = 0;
        string? after = null;
        while (true)
        {
            var (count, last) = await store.WriteAsync(async writer =>
            {
                var ids = await page(writer, after);
                var count = 0;
                foreach (var id in ids)
                {
                    if ((await writer.ReadCurrentAsync("Task", id, ct))?.Resource is FhirTask task && await visit(writer, task))
                    {
                        count++;
                    }
                }

                return (count, ids.Count == PageSize ? ids[^1] : null);
            }, ct);
            changed += count;
            if (last is null)
            {
                return changed;
            }

            after = last;
        }
    }
}
