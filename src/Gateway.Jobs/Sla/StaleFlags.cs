using System.Text.Json.Nodes;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Sla;

/// <summary>
/// SLA check (d): a mark whose cause has gone is taken off. acceptance-overdue once the owner has
/// moved the Task on: businessStatus follows the owner's update, so one that set its own is left
/// alone, and one that sent our code back with its acceptance has it removed;
/// update-overdue once the Task changed after it was flagged (anything beyond <c>meta</c>, which
/// is all the SLA checks themselves touch) or is no longer open; remeasure-due once a measure
/// newer than the SLA interval exists or the Task is no longer in progress.
/// Done here, on the next run, rather than on the write path: the run already recomputes every
/// deadline, stays idempotent, and the partners' writes stay free of SLA rules; a mark outlives
/// its cause by at most one <c>Gateway:Jobs:SlaSchedule</c> interval.
/// </summary>
internal static class StaleFlags
{
    public static async Task<int> RunAsync(ResourceStore store, PartnerDirectory partners, DateTimeOffset now, CancellationToken ct)
    {
        var cleared = await TaskPages.ForEachAsync(store, $"business-status={ReferralTask.BusinessStatusSystem}|{AcceptanceOverdue.Code}", async (gateway, task) =>
        {
            if (task.Status is FhirTask.TaskStatus.Requested or FhirTask.TaskStatus.Received || !ReferralTask.HasBusinessStatus(task, AcceptanceOverdue.Code))
            {
                return false;
            }

            task.BusinessStatus = null;
            await SlaWrites.UpdateAsync(gateway, task, $"Cleared acceptance overdue: the owner has moved the Task to {task.Status}.", ct);
            return true;
        }, ct);

        cleared += await TaskPages.ForEachTaggedAsync(store, ReferralFlags.System, ReferralFlags.UpdateOverdue, async (gateway, task) =>
        {
            if (!ReferralFlags.Has(task, ReferralFlags.UpdateOverdue)
                || (task.Status is FhirTask.TaskStatus.Accepted or FhirTask.TaskStatus.InProgress or FhirTask.TaskStatus.OnHold && !await ChangedSinceFlaggedAsync(gateway, task.Id!, ct)))
            {
                return false;
            }

            ReferralFlags.Remove(task, ReferralFlags.UpdateOverdue);
            await SlaWrites.UpdateAsync(gateway, task, $"Cleared update overdue: the Task was updated (now {task.Status}) after it was flagged.", ct);
            return true;
        }, ct);

        var remeasureAfter = SlaClock.Owners(partners, sla => sla.RemeasureAfter).ToDictionary(o => o.Owner.Id, o => o.Within, StringComparer.Ordinal);
        cleared += await TaskPages.ForEachTaggedAsync(store, ReferralFlags.System, ReferralFlags.RemeasureDue, async (gateway, task) =>
        {
            if (!ReferralFlags.Has(task, ReferralFlags.RemeasureDue))
            {
                return false;
            }

            var stillDue = task.Status == FhirTask.TaskStatus.InProgress
                && ReferralTask.OwnerId(task) is { } owner && remeasureAfter.TryGetValue(owner, out var after)
                && task.Focus?.Reference is { } request
                && (await RemeasureDue.LatestMeasureAsync(gateway, request, ct) is not { } latest || latest < now - after);
            if (stillDue)
            {
                return false;
            }

            ReferralFlags.Remove(task, ReferralFlags.RemeasureDue);
            await SlaWrites.UpdateAsync(gateway, task, $"Cleared outcome measure due: a new measure came in, or the Task is {task.Status}.", ct);
            return true;
        }, ct);
        return cleared;
    }

    /// <summary>Whether the current version differs, beyond <c>meta</c>, from the version that first carried the update-overdue flag.</summary>
    private static async Task<bool> ChangedSinceFlaggedAsync(ResourceWriter gateway, string taskId, CancellationToken ct)
    {
        await using var command = gateway.Command();
        command.CommandText = """
            select v.body::text
            from resource r join resource_version v on v.resource_key = r.resource_key
            where r.resource_type = 'Task' and r.resource_id = $1 and v.body is not null
            order by v.version desc
            """;
        command.Parameters.Add(new() { Value = taskId });
        JsonObject? current = null;
        JsonObject? firstFlagged = null;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var body = JsonNode.Parse(reader.GetString(0))!.AsObject();
                if (!HasUpdateOverdue(body))
                {
                    break;
                }

                current ??= body;
                firstFlagged = body;
            }
        }

        if (current is null || firstFlagged is null)
        {
            return false;
        }

        current.Remove("meta");
        firstFlagged.Remove("meta");
        return !JsonNode.DeepEquals(current, firstFlagged);
    }

    private static bool HasUpdateOverdue(JsonObject body) =>
        body["meta"]?["tag"] is JsonArray tags
        && tags.Any(t => (string?)t?["system"] == ReferralFlags.System && (string?)t?["code"] == ReferralFlags.UpdateOverdue);
}
