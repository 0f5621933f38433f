using Gateway.Mapping;

namespace Gateway.Fhir.ServiceDirectory;

/// <summary>What an import did with one entry of its source: the report line a partner and an operator read.</summary>
/// <param name="Outcome">created, updated, unchanged, deactivated (gone from its source) or rejected.</param>
/// <param name="Reference">The HealthcareService the entry is (none when rejected).</param>
public sealed record DirectoryEntryOutcome(string SourceId, int? Position, string Outcome, string? Reference, IReadOnlyList<RecordIssue> Issues)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Deactivated = "deactivated";
    public const string Rejected = "rejected";
}
