using Gateway.Fhir.Partners;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// Referral intake (SPEC §5): a social prescription that becomes active, or gets a new performer,
/// gets its Task in the same database transaction: routed, held for consent, held for capacity
/// (SPEC §11), or left unrouted with the reason. At most one open Task per ServiceRequest and performer.
/// </summary>
internal static class ReferralIntake
{
    public static async Task RouteAsync(ResourceWriter gateway, ServiceRequest request, ResourceChange cause, PartnerDirectory partners, CancellationToken ct)
    {
        await gateway.LockAsync("referral-tasks|" + request.Id, ct);
        var reference = $"ServiceRequest/{request.Id}";
        var open = (WorkflowWrites.NoTaskCanName(gateway, reference) ? [] : await WorkflowWrites.TasksAsync(gateway, $"focus={reference}", ct))
            .Where(t => t.Status is { } status && TaskStateMachine.Open.Contains(status)).ToList();
        var unrouted = open.FirstOrDefault(t => t.Owner is null);
        var decision = await DecideAsync(gateway, request, partners, ct);
        if (decision.Performer is { } taken && open.Any(t => ReferralTask.OwnerId(t) == taken.Id))
        {
            return;
        }

        if (decision.NoCapacity)
        {
            if (unrouted is null)
            {
                var held = ReferralTask.New(request, null, consented: false, decision.Reason, gateway.Now);
                CapacityHold.Hold(held, decision.Reason, gateway.Now);
                await WorkflowWrites.CreateAsync(gateway, held, decision.Reason, cause, ct);
            }
            else if (!CapacityHold.IsHeld(unrouted) || unrouted.StatusReason?.Text != decision.Reason)
            {
                CapacityHold.Hold(unrouted, decision.Reason, gateway.Now);
                await WorkflowWrites.UpdateAsync(gateway, unrouted, decision.Reason, cause, ct);
            }

            return;
        }

        await AssignAsync(gateway, request, decision, unrouted, cause, ct);
    }

    /// <summary>Routes the referral afresh: the directory services it may go to are read here, the choice is <see cref="ReferralRouter"/>'s.</summary>
    public static async Task<RoutingDecision> DecideAsync(ResourceWriter gateway, ServiceRequest request, PartnerDirectory partners, CancellationToken ct)
    {
        var patient = await gateway.ReadCurrentAsync("Patient", request.Subject!.Reference!["Patient/".Length..], ct);
        var services = await DirectoryServices.ForRoutingAsync(gateway, request, partners, ct);
        return ReferralRouter.Route(request, patient?.Resource as Patient, partners, services);
    }

    /// <summary>Gives the unrouted Task (or a new one) to the decision's performer, held for consent where the patient's Consent does not name it.</summary>
    public static async Task AssignAsync(ResourceWriter gateway, ServiceRequest request, RoutingDecision decision, FhirTask? unrouted, ResourceChange cause, CancellationToken ct)
    {
        var consented = decision.Performer is { } performer && await ConsentGate.PermitsAsync(gateway, request.Subject!.Reference!, performer.Id, ct);
        var what = decision.Reason + (decision.Performer is not null && !consented ? " Held: no active Consent of the patient permits sharing with it yet." : "");
        if (unrouted is not null)
        {
            if (decision.Performer is not null)
            {
                ReferralTask.Assign(unrouted, decision.Performer, consented, decision.Reason, gateway.Now);
                await WorkflowWrites.UpdateAsync(gateway, unrouted, what, cause, ct);
            }

            return;
        }

        await WorkflowWrites.CreateAsync(gateway, ReferralTask.New(request, decision.Performer, consented, decision.Reason, gateway.Now), what, cause, ct);
    }
}
