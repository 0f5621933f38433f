using Hl7.Fhir.Model;

namespace Gateway.Fhir.Errors;

/// <summary>
/// FHIR R4 http.html: 400 when the content cannot be parsed or fails base FHIR rules; 422 when it
/// breaks a profile or a business rule.
/// </summary>
public sealed class InvalidResourceException(IReadOnlyList<OperationOutcome.IssueComponent> issues, int statusCode = 400)
    : FhirException(statusCode, issues);
