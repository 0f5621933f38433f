using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// When the gateway, as the SDOH Clinical Care guide's coordination platform, owes a partner's
/// FHIR server something (SPEC §7, docs/adr/0009): the referral's copy there once the Task is
/// visible to the partner (requested: routed, and consent present, as for referral/v1), and its
/// cancellation when the referral ends at the gateway's side. Pure.
/// </summary>
public static class CoordinatedReferral
{
    public static bool IsDue(FhirTask? previous, FhirTask current)
    {
        if (previous?.Status == current.Status)
        {
            return false;
        }

        return current.Status switch
        {
            FhirTask.TaskStatus.Requested => !ReferralTask.HasBusinessStatus(current, ReferralTask.AwaitingRouting),
            FhirTask.TaskStatus.Cancelled or FhirTask.TaskStatus.EnteredInError => previous is not null,
            _ => false,
        };
    }

    /// <summary>Whether the gateway's Task at this status asks for the partner's copy to be created, or to be cancelled.</summary>
    public static bool WantsCopy(FhirTask task) => task.Status == FhirTask.TaskStatus.Requested && task.Owner is not null;

    public static bool WantsCancel(FhirTask task) => task.Status is FhirTask.TaskStatus.Cancelled or FhirTask.TaskStatus.EnteredInError;
}
