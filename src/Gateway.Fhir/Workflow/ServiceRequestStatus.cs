using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// The ServiceRequest follows its Tasks (SPEC §5): completed when its Task completes, revoked when
/// the requester cancels it; a rejection or an owner's cancellation leaves it active, so the GP
/// can re-route. The other way round, revoking the ServiceRequest cancels its open Tasks.
/// </summary>
internal static class ServiceRequestStatus
{
    public static async Task FollowTaskAsync(ResourceWriter gateway, FhirTask previous, FhirTask task, ResourceChange cause, CancellationToken ct)
    {
        var next = task.Status switch
        {
            FhirTask.TaskStatus.Completed => RequestStatus.Completed,
            FhirTask.TaskStatus.Cancelled when cause.By is { } by && TaskRules.RoleOf(by, previous).HasFlag(TaskRole.Requester) => RequestStatus.Revoked,
            _ => (RequestStatus?)null,
        };
        if (next is null || task.Focus?.Reference is not { } focus || !focus.StartsWith("ServiceRequest/", StringComparison.Ordinal)
            || (await gateway.ReadCurrentAsync("ServiceRequest", focus["ServiceRequest/".Length..], ct))?.Resource is not ServiceRequest { Status: RequestStatus.Active } request)
        {
            return;
        }

        request.Status = next;
        var what = next == RequestStatus.Completed
            ? $"ServiceRequest/{request.Id} completed because Task/{task.Id} was completed."
            : $"ServiceRequest/{request.Id} revoked because its requester cancelled Task/{task.Id}.";
        await WorkflowWrites.UpdateAsync(gateway, request, what, cause, ct);
    }

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
