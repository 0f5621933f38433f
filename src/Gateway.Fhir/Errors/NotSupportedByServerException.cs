using Hl7.Fhir.Model;

namespace Gateway.Fhir.Errors;

/// <summary>An interaction, media type or format this server does not offer: 404 (type), 405, 406 or 415.</summary>
public sealed class NotSupportedByServerException(int statusCode, string diagnostics)
    : FhirException(statusCode, OperationOutcome.IssueType.NotSupported, diagnostics);
