using Gateway.Fhir.Partners;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Sla;

/// <summary>
/// SLA check (c): an in-progress Task whose latest outcome measure (a QuestionnaireResponse based
/// on its ServiceRequest, by <c>authored</c>) is older than the owner's <c>sla.remeasureAfter</c>,
/// or that has none and was accepted that long ago, gets the flag remeasure-due.
/// </summary>
internal static class RemeasureDue
{
    public static async Task<int> RunAsync(ResourceStore store, PartnerDirectory partners, DateTimeOffset now, CancellationToken ct)
    {
        var changed = 0;
        foreach (var (owner, after) in SlaClock.Owners(partners, sla => sla.RemeasureAfter))
        {
            var before = now - after;
            var query = $"owner=Organization/{owner.Id}&status=in-progress";
            changed += await TaskPages.ForEachAsync(store, query, async (gateway, task) =>
            {
                if (task.Status != FhirTask.TaskStatus.InProgress || ReferralFlags.Has(task, ReferralFlags.RemeasureDue)
                    || task.Focus?.Reference is not { } request || !request.StartsWith("ServiceRequest/", StringComparison.Ordinal))
                {
                    return false;
                }

                var latest = await LatestMeasureAsync(gateway, request, ct);
                var since = latest ?? await AcceptedAtAsync(gateway, task.Id!, ct);
                if (since is not { } at || at >= before)
                {
                    return false;
                }

                ReferralFlags.Add(task, ReferralFlags.RemeasureDue, "Outcome measure due again");
                var why = latest is null
                    ? $"Flagged outcome measure due: none since the Task was accepted at {at:O}"
                    : $"Flagged outcome measure due: the latest for {request} was authored at {at:O}";
                await SlaWrites.UpdateAsync(gateway, task, $"{why}, and {owner.Name} ({owner.Id}) measures again after {after.TotalDays:0.##} days.", ct);
                return true;
            }, ct);
        }

        return changed;
    }

    /// <summary>When the newest QuestionnaireResponse based on <paramref name="request"/> was authored; null when there is none.</summary>
    internal static async Task<DateTimeOffset?> LatestMeasureAsync(ResourceWriter gateway, string request, CancellationToken ct)
    {
        DateTimeOffset? latest = null;
        foreach (var id in await gateway.FindIdsAsync(SearchQuery.Parse("QuestionnaireResponse", $"based-on={request}"), 1000, ct))
        {
            if ((await gateway.ReadCurrentAsync("QuestionnaireResponse", id, ct))?.Resource is QuestionnaireResponse response
                && response.AuthoredElement?.ToDateTimeOffset(TimeSpan.Zero) is { } authored
                && (latest is null || authored > latest))
            {
                latest = authored;
            }
        }

        return latest;
    }

    /// <summary>When the Task first became accepted (or in progress, if it skipped the step), from its history.</summary>
    private static async Task<DateTimeOffset?> AcceptedAtAsync(ResourceWriter gateway, string taskId, CancellationToken ct)
    {
        await using var command = gateway.Command();
        command.CommandText = """
            select min(v.last_updated)
            from resource r join resource_version v on v.resource_key = r.resource_key
            where r.resource_type = 'Task' and r.resource_id = $1 and v.body->>'status' in ('accepted', 'in-progress')
            """;
        command.Parameters.Add(new() { Value = taskId });
        return await command.ExecuteScalarAsync(ct) is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }
}
