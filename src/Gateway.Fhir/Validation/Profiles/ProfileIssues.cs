using Gateway.Fhir.Conformance;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// An issue of profile validation: severity, the FHIRPath of the element in <c>expression</c>, and
/// the rule broken in <c>details.coding</c> (the invariant key, or cardinality, binding, ...;
/// CodeSystem validation-rule in profiles/), so clients can act on the rule without parsing text.
/// </summary>
internal static class ProfileIssues
{
    public static OperationOutcome.IssueComponent Create(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType code, string rule, string expression, string diagnostics) => new()
    {
        Severity = severity,
        Code = code,
        Details = new CodeableConcept(GatewayGuide.ValidationRuleSystem, rule),
        Diagnostics = diagnostics,
        Expression = [expression],
    };

    public static OperationOutcome.IssueComponent Error(OperationOutcome.IssueType code, string rule, string expression, string diagnostics) =>
        Create(OperationOutcome.IssueSeverity.Error, code, rule, expression, diagnostics);
}
