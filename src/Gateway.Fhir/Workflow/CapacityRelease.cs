using System.Globalization;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// Offers the referrals held for capacity (<see cref="CapacityHold"/>) again (SPEC §11): each is
/// routed afresh, and goes to the provider of a service that now takes referrals; the others stay held.
/// Run by a job, as the gateway, one transaction per referral so one failure keeps no other waiting.
/// </summary>
public static class CapacityRelease
{
    /// <summary>The held Tasks, oldest first.</summary>
    public static Task<IReadOnlyList<string>> HeldAsync(ResourceWriter gateway, int limit, CancellationToken ct) =>
        gateway.FindIdsAsync(Search.SearchQuery.Parse("Task", $"status=on-hold&business-status={CapacityHold.NoCapacity}"), limit, ct);

    /// <summary>Routes the held Task's referral again; true when it went to a provider.</summary>
    public static async Task<bool> OfferAgainAsync(ResourceWriter gateway, string taskId, PartnerDirectory partners, CancellationToken ct)
    {
        if ((await gateway.ReadCurrentAsync("Task", taskId, ct))?.Resource is not Hl7.Fhir.Model.Task task || !CapacityHold.IsHeld(task)
            || task.Status != Hl7.Fhir.Model.Task.TaskStatus.OnHold
            || task.Focus?.Reference is not { } focus || !focus.StartsWith("ServiceRequest/", StringComparison.Ordinal))
        {
            return false;
        }

        await gateway.LockAsync("referral-tasks|" + focus["ServiceRequest/".Length..], ct);
        if ((await gateway.ReadCurrentAsync("ServiceRequest", focus["ServiceRequest/".Length..], ct))?.Resource is not ServiceRequest { Status: RequestStatus.Active } request)
        {
            return false;
        }

        var decision = await ReferralIntake.DecideAsync(gateway, request, partners, ct);
        if (decision.Performer is null)
        {
            return false;
        }

        var version = int.Parse(task.Meta?.VersionId ?? "1", CultureInfo.InvariantCulture);
        var cause = new ResourceChange("Task", taskId, version, null, task, null);
        await ReferralIntake.AssignAsync(gateway, request, decision with { Reason = "Capacity returned. " + decision.Reason }, task, cause, ct);
        return true;
    }
}
