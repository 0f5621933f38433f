namespace Gateway.Fhir.Export;

/// <summary>One Bulk Data export, as the table <c>export_job</c> keeps it from kick-off to expiry.</summary>
public sealed record ExportJob(
    Guid Id,
    string ClientId,
    string PartnerId,
    string RequestUrl,
    string? GroupId,
    IReadOnlyList<string> Types,
    DateTimeOffset? Since,
    string Status,
    string? Progress,
    string? Error,
    DateTimeOffset RequestedAt,
    DateTimeOffset? TransactionTime,
    DateTimeOffset? ExpiresAt)
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>One NDJSON file of a completed export.</summary>
public sealed record ExportFile(int Number, string ResourceType, int Count);
