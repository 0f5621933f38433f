namespace Gateway.Fhir.Audit;

/// <summary>A request's AuditEvent could not be stored, so its response must not go out (SPEC §8).</summary>
public sealed class AuditTrailUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
