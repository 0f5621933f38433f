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

    /// <summary>Calls <paramref name="visit"/> for each matching Task; it returns whether it changed the Task. The count of changed Tasks.</summary>
    public static async Task<int> ForEachAsync(ResourceStore store, string query, Func<ResourceWriter, FhirTask, Task<bool>> visit, CancellationToken ct)
    {
        var criteria = SearchQuery.Parse("Task", query);
        var changed = 0;
        string? after = null;
        while (true)
        {
            var (count, last) = await store.WriteAsync(async writer =>
            {
                var ids = await writer.FindIdPageAsync(criteria, PageSize, after, ct);
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
