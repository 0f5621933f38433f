using Gateway.Fhir.Access;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// The referral workflow of SPEC §5, as the store runs it for every write, whatever the path
/// (REST, transaction, record mapping, jobs): <see cref="CheckTask"/> and <see cref="CheckAsync"/> refuse what a partner may
/// not write before it is stored; <see cref="FollowUpAsync"/> does what follows from what was
/// written (route, hold, release, follow, cancel, link a new Patient for operators) in the same database transaction.
/// </summary>
public sealed class ReferralWorkflow(PartnerDirectory partners, ConformanceResources guide)
{
    private readonly IReadOnlySet<string> _businessStatuses =
        guide.Find<CodeSystem>(ReferralTask.BusinessStatusSystem)?.Concept.Select(c => c.Code).OfType<string>().ToHashSet(StringComparer.Ordinal)
        ?? throw new InvalidOperationException($"profiles/ has no CodeSystem {ReferralTask.BusinessStatusSystem}.");

    /// <summary>Types whose previous version the workflow needs to judge a change.</summary>
    public static bool Watches(string type) => type is "Task" or "ServiceRequest" or "Consent";

    public static void CheckDelete(CallingPartner? caller, string type)
    {
        if (caller is not null && type == "Task")
        {
            throw new FhirException(422, OperationOutcome.IssueType.BusinessRule,
                "A referral Task is never deleted: its history is the referral's trail. Mark it entered-in-error (requester or operator) or cancel it.", "Task");
        }
    }

    /// <summary>A partner's Task write, judged on the two versions alone (<see cref="TaskRules"/>).</summary>
    public void CheckTask(CallingPartner? caller, Resource? previous, Resource next)
    {
        if (caller is not null && next is FhirTask task)
        {
            TaskRules.CheckWrite(caller, previous as FhirTask, task, _businessStatuses);
        }
    }

    /// <summary>A partner's write, judged against the store: a referral for a patient it may not see, or that would duplicate an active one.</summary>
    public static async Task CheckAsync(ResourceWriter writer, Resource? previous, Resource next, CancellationToken ct)
    {
        if (writer.Caller is not null && next is ServiceRequest { Subject.Reference: { } subject } && (previous as ServiceRequest)?.Subject?.Reference != subject)
        {
            await PatientReferences.CheckNotHiddenAsync(writer, subject, "ServiceRequest.subject", ct);
        }

        if (writer.Caller is not null && next is ServiceRequest request && previous is not ServiceRequest { Status: RequestStatus.Active })
        {
            await ReferralDuplicates.CheckAsync(writer, request, ct);
        }
    }

    public async Task FollowUpAsync(ResourceWriter gateway, ResourceChange change, CancellationToken ct)
    {
        switch (change.Current)
        {
            case ServiceRequest request when SocialPrescription.IsOne(request)
                && (change.Previous is not ServiceRequest before || !SocialPrescription.IsOne(before) || SocialPrescription.PerformersDiffer(before, request)):
                await ReferralIntake.RouteAsync(gateway, request, change, partners, ct);
                break;
            case ServiceRequest { Status: RequestStatus.Revoked or RequestStatus.EnteredInError } request
                when change.Previous is ServiceRequest { Status: RequestStatus.Active }:
                await ServiceRequestStatus.CancelOpenTasksAsync(gateway, request, change, ct);
                break;
            case FhirTask task when change.Previous is FhirTask before && before.Status != task.Status:
                await TaskTransitions.RecordAsync(gateway, before, task, change, ct);
                await ServiceRequestStatus.FollowTaskAsync(gateway, before, task, change, ct);
                break;
            case Consent consent:
                await ConsentRelease.ReleaseAsync(gateway, consent, change, partners, ct);
                break;
            case Patient patient when change.Version == 1 && change.Previous is null:
                await PatientIdentityLinks.RecordAsync(gateway, patient, change, ct);
                break;
        }
    }
}
