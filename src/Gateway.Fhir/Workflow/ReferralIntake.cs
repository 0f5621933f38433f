using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// Referral intake (SPEC §5): a social prescription that becomes active, or gets a new performer,
/// gets its Task in the same database transaction: routed, held for consent, or left unrouted with
/// the reason. At most one open Task per ServiceRequest and performer.
/// </summary>
internal static class ReferralIntake
{
    public static async Task RouteAsync(ResourceWriter gateway, ServiceRequest request, ResourceChange cause, PartnerDirectory partners, CancellationToken ct)
    {
        await gateway.LockAsync("referral-tasks|" + request.Id, ct);
        var patient = await gateway.ReadCurrentAsync("Patient", request.Subject!.Reference!["Patient/".Length..], ct);
        var decision = ReferralRouter.Route(request, patient?.Resource as Patient, partners);
        var open = (await WorkflowWrites.TasksAsync(gateway, $"focus=ServiceRequest/{request.Id}", ct))
            .Where(t => t.Status is { } status && TaskStateMachine.Open.Contains(status)).ToList();
        if (decision.Performer is { } taken && open.Any(t => ReferralTask.OwnerId(t) == taken.Id))
        {
            return;
        }

        var consented = decision.Performer is { } performer && await ConsentGate.PermitsAsync(gateway, request.Subject.Reference, performer.Id, ct);
        var what = decision.Reason + (decision.Performer is not null && !consented ? " Held: no active Consent of the patient permits sharing with it yet." : "");
        if (open.FirstOrDefault(t => t.Owner is null) is { } unrouted)
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
