using Hl7.Fhir.Model;

namespace Gateway.Fhir.Errors;

public sealed class ResourceNotFoundException(string diagnostics)
    : FhirException(404, OperationOutcome.IssueType.NotFound, diagnostics);
