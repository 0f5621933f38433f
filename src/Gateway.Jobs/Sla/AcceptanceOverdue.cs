using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Sla;

/// <summary>
/// SLA check (a): a Task its owner has not accepted by its deadline (<c>restriction.period.end</c>,
/// set from the owner's <c>sla.acceptWithin</c> when it was assigned) gets businessStatus
/// acceptance-overdue. The status stays; the new version is what tells the referrer (polling on
/// <c>_lastUpdated</c>, subscriptions).
/// </summary>
internal static class AcceptanceOverdue
{
    public const string Code = "acceptance-overdue";

    public static string Query(DateTimeOffset now) =>
        $"status=requested,received&owner:missing=false&due=lt{SlaClock.SearchValue(now)}&business-status:not={ReferralTask.BusinessStatusSystem}|{Code}";

    public static Task<int> RunAsync(ResourceStore store, DateTimeOffset now, CancellationToken ct) =>
        TaskPages.ForEachAsync(store, Query(now), async (gateway, task) =>
        {
            if (!IsOverdue(task, now))
            {
                return false;
            }

            var due = task.Restriction!.Period!.End;
            task.BusinessStatus = ReferralTask.BusinessStatus(Code, "Acceptance overdue");
            await SlaWrites.UpdateAsync(gateway, task,
                $"Marked acceptance overdue: {task.Owner!.Display ?? task.Owner.Reference} had not accepted by {due}, the deadline of its SLA.", ct);
            return true;
        }, ct);

    /// <summary>The decision, on the Task alone: still waiting for its owner, past the deadline, not yet marked.</summary>
    public static bool IsOverdue(FhirTask task, DateTimeOffset now) =>
        task.Status is FhirTask.TaskStatus.Requested or FhirTask.TaskStatus.Received
        && ReferralTask.OwnerId(task) is not null
        && task.Restriction?.Period?.EndElement?.ToDateTimeOffset(TimeSpan.Zero) is { } due && due < now
        && !ReferralTask.HasBusinessStatus(task, Code);
}
