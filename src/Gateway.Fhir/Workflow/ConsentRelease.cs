using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// A Consent that now permits sharing with a partner releases the patient's Tasks held for it:
/// on-hold "awaiting consent" becomes requested, and the partner sees the referral from then on.
/// (Revocation needs no write: <see cref="ConsentGate"/> stops the partner seeing the patient.)
/// </summary>
internal static class ConsentRelease
{
    public static async Task ReleaseAsync(ResourceWriter gateway, Consent consent, ResourceChange cause, PartnerDirectory partners, CancellationToken ct)
    {
        if (consent.Patient?.Reference is not { } patient || WorkflowWrites.NoTaskCanName(gateway, patient))
        {
            return;
        }

        foreach (var actor in ConsentGate.Actors(consent).Distinct(StringComparer.Ordinal))
        {
            if (partners.Find(actor) is not { } performer || !await ConsentGate.PermitsAsync(gateway, patient, actor, ct))
            {
                continue;
            }

            var held = await WorkflowWrites.TasksAsync(gateway, $"patient={patient}&owner=Organization/{actor}&status=on-hold", ct);
            foreach (var task in held.Where(t => ReferralTask.HasBusinessStatus(t, ReferralTask.AwaitingConsent)))
            {
                ReferralTask.Assign(task, performer, consented: true, "", gateway.Now);
                await WorkflowWrites.UpdateAsync(gateway, task, $"Task/{task.Id} released to {actor}: Consent/{consent.Id} permits sharing with it.", cause, ct);
            }
        }
    }
}
