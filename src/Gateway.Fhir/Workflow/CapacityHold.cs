using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// A referral that services exist for, none of which takes referrals now (SPEC §11): its Task is
/// held on-hold with business status <c>no-capacity</c> and the reason, owned by nobody, so the
/// referrer sees why; CapacityRelease offers it again once a service has capacity.
/// </summary>
public static class CapacityHold
{
    public const string NoCapacity = "no-capacity";

    public static void Hold(FhirTask task, string reason, DateTimeOffset now)
    {
        task.Owner = null;
        task.Status = FhirTask.TaskStatus.OnHold;
        task.BusinessStatus = ReferralTask.BusinessStatus(NoCapacity, "No capacity");
        task.StatusReason = new Hl7.Fhir.Model.CodeableConcept { Text = reason };
        task.LastModified = ReferralTask.Instant(now);
    }

    public static bool IsHeld(FhirTask task) => task.Owner is null && ReferralTask.HasBusinessStatus(task, NoCapacity);
}
