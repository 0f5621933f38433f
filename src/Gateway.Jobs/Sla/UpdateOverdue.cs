using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Sla;

/// <summary>
/// SLA check (b): an open Task (accepted, in progress, on hold) its owner has not updated for the
/// owner's <c>sla.updateEvery</c> gets the reminder flag update-overdue (<c>meta.tag</c>).
/// Tasks held for the patient's consent wait on the referrer, not the owner, and are left alone.
/// </summary>
internal static class UpdateOverdue
{
    public static async Task<int> RunAsync(ResourceStore store, PartnerDirectory partners, DateTimeOffset now, CancellationToken ct)
    {
        var changed = 0;
        foreach (var (owner, every) in SlaClock.Owners(partners, sla => sla.UpdateEvery))
        {
            var before = now - every;
            var query = $"owner=Organization/{owner.Id}&status=accepted,in-progress,on-hold&_lastUpdated=lt{SlaClock.SearchValue(before)}"
                + $"&business-status:not={ReferralTask.BusinessStatusSystem}|{ReferralTask.AwaitingConsent}";
            changed += await TaskPages.ForEachAsync(store, query, async (gateway, task) =>
            {
                if (!IsDue(task, before))
                {
                    return false;
                }

                var last = task.Meta!.LastUpdated;
                ReferralFlags.Add(task, ReferralFlags.UpdateOverdue, "Update overdue");
                await SlaWrites.UpdateAsync(gateway, task,
                    $"Flagged update overdue: {owner.Name} ({owner.Id}) last updated the Task at {last:O}, and its SLA asks for an update every {every.TotalDays:0.##} days.", ct);
                return true;
            }, ct);
        }

        return changed;
    }

    public static bool IsDue(FhirTask task, DateTimeOffset lastUpdatedBefore) =>
        task.Status is FhirTask.TaskStatus.Accepted or FhirTask.TaskStatus.InProgress or FhirTask.TaskStatus.OnHold
        && task.Meta?.LastUpdated is { } last && last < lastUpdatedBefore
        && !ReferralTask.HasBusinessStatus(task, ReferralTask.AwaitingConsent)
        && !ReferralFlags.Has(task, ReferralFlags.UpdateOverdue);
}
