using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Partners;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// What a partner may do to a referral Task (SPEC §5), checked on every version a partner writes
/// whatever the path (PUT, PATCH, transaction, record mapping): the gateway creates Tasks, the
/// referral's links never change, status moves follow <see cref="TaskStateMachine"/>, and the
/// statuses that need a reason or outputs have them.
/// </summary>
public static class TaskRules
{
    public static TaskRole RoleOf(CallingPartner caller, FhirTask task)
    {
        var me = caller.OrganizationReference;
        var role = TaskRole.None;
        if (task.Owner?.Reference == me)
        {
            role |= TaskRole.Owner;
        }

        if (task.Requester?.Reference == me)
        {
            role |= TaskRole.Requester;
        }

        if (caller.Kind == PartnerKinds.Operator)
        {
            role |= TaskRole.Operator;
        }

        return role;
    }

    public static void CheckWrite(CallingPartner caller, FhirTask? previous, FhirTask next, IReadOnlySet<string> businessStatuses)
    {
        var task = $"Task/{next.Id}";
        if (previous is null)
        {
            throw new FhirException(422, OperationOutcome.IssueType.BusinessRule,
                "Referral Tasks are created by the gateway when it routes a ServiceRequest (SPEC §5); send the ServiceRequest, then follow its Task with Task?focus=ServiceRequest/{id}.", "Task");
        }

        Unchanged(task, "Task.focus", previous.Focus?.Reference, next.Focus?.Reference);
        Unchanged(task, "Task.for", previous.For?.Reference, next.For?.Reference);
        Unchanged(task, "Task.requester", previous.Requester?.Reference, next.Requester?.Reference);
        Unchanged(task, "Task.owner", previous.Owner?.Reference, next.Owner?.Reference);
        Unchanged(task, "Task.basedOn", string.Join(",", previous.BasedOn.Select(b => b.Reference)), string.Join(",", next.BasedOn.Select(b => b.Reference)));

        var role = RoleOf(caller, previous);
        if (next.Status != previous.Status && ReferralTask.HasBusinessStatus(previous, ReferralTask.AwaitingConsent)
            && next.Status is not (FhirTask.TaskStatus.Cancelled or FhirTask.TaskStatus.EnteredInError))
        {
            throw new FhirException(409, OperationOutcome.IssueType.BusinessRule,
                $"{task} is held until an active Consent of the patient permits sharing with its owner; the gateway releases it to requested then. Until then it may only be cancelled or marked entered-in-error.", "Task.status");
        }

        if (next.Status != previous.Status)
        {
            TaskStateMachine.Check(task, previous.Status ?? FhirTask.TaskStatus.Requested, next.Status ?? FhirTask.TaskStatus.Requested, role);
        }
        else if ((role & (TaskRole.Owner | TaskRole.Requester)) == TaskRole.None)
        {
            throw new FhirException(403, OperationOutcome.IssueType.Forbidden,
                $"Only the owner or the requester of {task} may update it without moving its status; an operator may only mark it entered-in-error.", "Task");
        }

        if (next.Status is { } status && TaskStateMachine.NeedReason.Contains(status) && next.Status != previous.Status && next.StatusReason is null)
        {
            throw Invalid($"A Task moving to {status.GetLiteral()} says why in statusReason (a code or text).", "Task.statusReason");
        }

        if (next.Status is { } moved && TaskStateMachine.NeedReason.Contains(moved) && next.Status != previous.Status && !TaskReason.IsGivenWithMove(previous, next))
        {
            throw Invalid($"A Task moving to {moved.GetLiteral()} says why in a statusReason given with this move; the one it has is the reason it had while {previous.Status?.GetLiteral()}, carried over.", "Task.statusReason");
        }

        if (next.Status == FhirTask.TaskStatus.Completed && next.Status != previous.Status && next.Output.Count == 0)
        {
            throw Invalid("A completed Task carries its outputs: what the patient took up (type resulting-activity) and the outcome measures (type additional-content, a QuestionnaireResponse).", "Task.output");
        }

        foreach (var coding in next.BusinessStatus?.Coding ?? [])
        {
            if (coding.System == ReferralTask.BusinessStatusSystem && !businessStatuses.Contains(coding.Code ?? ""))
            {
                throw Invalid($"'{coding.Code}' is not a code of {ReferralTask.BusinessStatusSystem}; its codes are {string.Join(", ", businessStatuses)}.", "Task.businessStatus.coding");
            }
        }
    }

    private static void Unchanged(string task, string element, string? before, string? after)
    {
        if (!string.Equals(before ?? "", after ?? "", StringComparison.Ordinal))
        {
            throw new FhirException(422, OperationOutcome.IssueType.BusinessRule,
                $"{element} of {task} is {(string.IsNullOrEmpty(before) ? "empty" : before)} and cannot change; a referral is re-routed by a new performer on its ServiceRequest.", element);
        }
    }

    private static FhirException Invalid(string diagnostics, string expression) =>
        new(422, OperationOutcome.IssueType.BusinessRule, diagnostics, expression);
}
