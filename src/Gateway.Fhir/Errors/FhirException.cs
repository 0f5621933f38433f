using Hl7.Fhir.Model;

namespace Gateway.Fhir.Errors;

/// <summary>
/// A client-visible failure: the HTTP status and the OperationOutcome issues that explain it.
/// One exception handler in the host turns these into responses (STYLE rule 5).
/// </summary>
public class FhirException : Exception
{
    public FhirException(int statusCode, IReadOnlyList<OperationOutcome.IssueComponent> issues)
        : base(issues.Count > 0 ? issues[0].Diagnostics : "FHIR request failed")
    {
        StatusCode = statusCode;
        Issues = issues;
    }

    public FhirException(int statusCode, OperationOutcome.IssueType code, string diagnostics, string? expression = null)
        : this(statusCode, [Issue(code, diagnostics, expression)])
    {
    }

    public int StatusCode { get; }

    public IReadOnlyList<OperationOutcome.IssueComponent> Issues { get; }

    public static OperationOutcome.IssueComponent Issue(OperationOutcome.IssueType code, string diagnostics, string? expression = null) => new()
    {
        Severity = OperationOutcome.IssueSeverity.Error,
        Code = code,
        Diagnostics = diagnostics,
        Expression = expression is null ? [] : [expression],
    };
}
