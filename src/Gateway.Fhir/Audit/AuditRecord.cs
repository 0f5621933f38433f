namespace Gateway.Fhir.Audit;

/// <summary>One request as the audit trail keeps it: who, what, when, outcome, from where. Never clinical content.</summary>
public sealed record AuditRecord(
    DateTimeOffset When,
    string? ClientId,
    string? PartnerId,
    string Method,
    string Interaction,
    string? ResourceType,
    string? ResourceId,
    string? Query,
    int Status,
    string? SourceAddress);
