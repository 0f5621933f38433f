using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// The ServiceRequest follows its Tasks (SPEC §5) on every path: completed when its Task completes,
/// revoked when the requester cancels it, or when the owner cancels it and no other Task of the
/// referral is still open or done (issue 17); a rejection leaves it active, so the GP can re-route.
/// The other way round, revoking the ServiceRequest cancels its open Tasks.
/// </summary>
internal static class ServiceRequestStatus
{
    public static async Task FollowTaskAsync(ResourceWriter gateway, FhirTask previous, FhirTask task, ResourceChange cause, CancellationToken ct)
    {
        var byRequester = cause.By is { } by && TaskRules.RoleOf(by, previous).HasFlag(TaskRole.Requester);
        var next = task.Status switch
        {
            FhirTask.TaskStatus.Completed => RequestStatus.Completed,
            FhirTask.TaskStatus.Cancelled => RequestStatus.Revoked,
            _ => (RequestStatus?)null,
        };
        if (next is null || task.Focus?.Reference is not { } focus || !focus.StartsWith("ServiceRequest/", StringComparison.Ordinal)
            || (await gateway.ReadCurrentAsync("ServiceRequest", focus["ServiceRequest/".Length..], ct))?.Resource is not ServiceRequest { Status: RequestStatus.Active } request)
        {
            return;
        }

        if (next == RequestStatus.Revoked && !byRequester && await OthersGoOnAsync(gateway, request, task, ct))
        {
            return;
        }

        request.Status = next;
        var what = next == RequestStatus.Completed ? $"ServiceRequest/{request.Id} completed because Task/{task.Id} was completed."
            : byRequester ? $"ServiceRequest/{request.Id} revoked because its requester cancelled Task/{task.Id}."
            : $"ServiceRequest/{request.Id} revoked because Task/{task.Id}, its only Task still open, was cancelled.";
        await WorkflowWrites.UpdateAsync(gateway, request, what, cause, ct);
    }

    /// <summary>Whether another Task of the referral is still open or completed: then one Task's cancellation does not end the referral.</summary>
    private static async Task<bool> OthersGoOnAsync(ResourceWriter gateway, ServiceRequest request, FhirTask task, CancellationToken ct) =>
        (await WorkflowWrites.TasksAsync(gateway, $"focus=ServiceRequest/{request.Id}", ct))
            .Any(t => t.Id != task.Id && t.Status is { } status && (TaskStateMachine.Open.Contains(status) || status == FhirTask.TaskStatus.Completed));

    public static async Task CancelOpenTasksAsync(ResourceWriter gateway, ServiceRequest request, ResourceChange cause, CancellationToken ct)
    {
        foreach (var task in await WorkflowWrites.TasksAsync(gateway, $"focus=ServiceRequest/{request.Id}", ct))
        {
            if (task.Status is { } status && TaskStateMachine.Open.Contains(status))
            {
                task.Status = FhirTask.TaskStatus.Cancelled;
                task.StatusReason = new CodeableConcept { Text = $"The requester {(request.Status == RequestStatus.Revoked ? "revoked" : "withdrew")} the referral (ServiceRequest/{request.Id} is {request.Status?.ToString().ToLowerInvariant()})." };
                task.LastModified = ReferralTask.Instant(gateway.Now);
                await WorkflowWrites.UpdateAsync(gateway, task, $"Task/{task.Id} cancelled because ServiceRequest/{request.Id} was revoked by its requester.", cause, ct);
            }
        }
    }
}
