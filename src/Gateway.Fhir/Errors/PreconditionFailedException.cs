using Hl7.Fhir.Model;

namespace Gateway.Fhir.Errors;

/// <summary>412: an If-Match version that is not the current one, or a conditional interaction with several matches.</summary>
public sealed class PreconditionFailedException(string diagnostics)
    : FhirException(412, OperationOutcome.IssueType.Conflict, diagnostics);
