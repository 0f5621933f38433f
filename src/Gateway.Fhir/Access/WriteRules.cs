using Gateway.Fhir.Errors;
using Gateway.Fhir.Partners;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Access;

/// <summary>
/// What a partner may write in whose name (SPEC §8): a ServiceRequest only as its requester, a
/// Task only as its requester or owner; an operator nothing clinical; a commissioner only its
/// Subscriptions. Checked on every version
/// written, after a bundle's references are resolved. Refusals are 403 naming the element.
/// </summary>
public static class WriteRules
{
    // Tasks: an operator marks them entered-in-error (TaskRules says what else it may not do).
    private static readonly HashSet<string> OperatorWritable = ["Subscription", "Task"];

    public static void Check(CallingPartner? caller, Resource resource)
    {
        if (caller is null)
        {
            return;
        }

        var me = caller.OrganizationReference;
        switch (resource)
        {
            case { } when caller.Kind == PartnerKinds.Evaluator:
                throw Refused($"An evaluator client may not write {resource.TypeName} resources: its only way in is $export (docs/guide-evaluators.md).", resource.TypeName);
            case { } when caller.Kind == PartnerKinds.Operator && !OperatorWritable.Contains(resource.TypeName):
                throw Refused($"An operator client may not write {resource.TypeName} resources.", resource.TypeName);
            case { } when caller.Kind == PartnerKinds.Commissioner && resource is not Subscription:
                throw Refused($"A commissioner client reads aggregated reports; it may write only its own Subscriptions, not {resource.TypeName} resources.", resource.TypeName);
            case ServiceRequest { Requester.Reference: { } requester } when requester != me:
                throw Refused($"ServiceRequest.requester is {requester}; a client of {caller.PartnerId} may only request in its own name ({me}).", "ServiceRequest.requester");
            case Hl7.Fhir.Model.Task task when caller.Kind != PartnerKinds.Operator && (task.Requester?.Reference ?? task.Owner?.Reference) is not null
                                            && task.Requester?.Reference != me && task.Owner?.Reference != me:
                throw Refused($"A client of {caller.PartnerId} may only write Tasks it requests or owns ({me}).", "Task.owner");
        }
    }

    private static FhirException Refused(string diagnostics, string expression) =>
        new(403, OperationOutcome.IssueType.Forbidden, diagnostics, expression);
}
