namespace Gateway.Api.Fhir;

/// <summary>
/// Endpoint metadata naming the FHIR interaction a route implements (a code of the R4
/// restful-interaction value set); /metadata reads these, so the CapabilityStatement lists exactly what is routed.
/// </summary>
public sealed record FhirInteraction(string Code, bool IsSystemLevel = false);
