using Gateway.Fhir.Errors;
using Gateway.Mapping;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Records;

/// <summary>Record issues to and from their wire codes, and from the refusals of the FHIR side.</summary>
public static class RecordIssues
{
    private static readonly Dictionary<string, RecordIssueCode> ByText =
        Enum.GetValues<RecordIssueCode>().ToDictionary(c => new RecordIssue(c, "", "").CodeText, StringComparer.Ordinal);

    public static RecordIssueCode CodeOf(string text) => ByText.TryGetValue(text, out var code) ? code : RecordIssueCode.InvalidValue;

    /// <summary>
    /// A refusal of the workflow or the store (an illegal Task move, a profile rule) as the
    /// record's issues: what it says, at the FHIRPath it names.
    /// </summary>
    public static IReadOnlyList<RecordIssue> From(FhirException failure) =>
        failure.Issues.Select(i => new RecordIssue(
            failure.StatusCode == 409 ? RecordIssueCode.Conflict : RecordIssueCode.InvalidValue,
            i.Expression.FirstOrDefault() ?? "record",
            i.Diagnostics ?? i.Details?.Text ?? "refused")).ToList();

    /// <param name="tooLong">The record was refused for its size: every issue is <c>too-long</c>.</param>
    public static OperationOutcome ToOutcome(IEnumerable<RecordIssue> issues, bool tooLong = false) => new()
    {
        Issue = issues.Select(i => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = tooLong ? OperationOutcome.IssueType.TooLong : i.Code switch
            {
                RecordIssueCode.Required => OperationOutcome.IssueType.Required,
                RecordIssueCode.UnknownReferral or RecordIssueCode.UnknownService => OperationOutcome.IssueType.NotFound,
                RecordIssueCode.Conflict => OperationOutcome.IssueType.BusinessRule,
                RecordIssueCode.NotAllowed => OperationOutcome.IssueType.Forbidden,
                RecordIssueCode.UnknownStatus => OperationOutcome.IssueType.CodeInvalid,
                _ => OperationOutcome.IssueType.Invalid,
            },
            Details = new CodeableConcept { Text = i.CodeText },
            Diagnostics = $"{i.Location}: {i.Message}",
            // Not FHIRPath but a JSON path or CSV row and column, so in location (which R4 leaves free-form here), not expression.
            Location = [i.Location],
        }).ToList(),
    };
}
