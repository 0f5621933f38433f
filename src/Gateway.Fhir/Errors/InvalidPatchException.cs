using Hl7.Fhir.Model;

namespace Gateway.Fhir.Errors;

/// <summary>
/// A JSON Patch that is malformed (400) or well-formed but not applicable to the resource as it
/// is (422), the two cases RFC 5789 §2.2 tells apart.
/// </summary>
public sealed class InvalidPatchException : FhirException
{
    private InvalidPatchException(int statusCode, OperationOutcome.IssueType code, string diagnostics)
        : base(statusCode, code, diagnostics)
    {
    }

    public static InvalidPatchException Malformed(string diagnostics) => new(400, OperationOutcome.IssueType.Structure, diagnostics);

    // RFC 5789 §2.2 would make a missing target "conflicting state" (409), but FHIR uses 409 and 412
    // for version contention (http.html#concurrency), so every patch that cannot be applied is 422.
    public static InvalidPatchException NotApplicable(string diagnostics) => new(422, OperationOutcome.IssueType.Processing, diagnostics);
}
