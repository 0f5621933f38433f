using Gateway.Mapping;

namespace Gateway.Fhir.Records;

/// <summary>Where a received record stands: stored and not yet processed, applied, or rejected with reasons.</summary>
public enum RecordState
{
    Received,
    Applied,
    Rejected,
}

/// <summary>A partner record as the gateway keeps it (table partner_record), with what became of it.</summary>
public sealed record ReceivedRecord(
    string RecordId,
    string PartnerId,
    string Format,
    string RecordKey,
    DateTimeOffset ReceivedAt,
    string Source,
    int? RowNumber,
    string Body,
    RecordState State,
    IReadOnlyList<RecordIssue> Issues,
    IReadOnlyList<string> Produced,
    DateTimeOffset? ProcessedAt,
    int Attempts);

/// <summary>
/// What processing a record did: <c>accepted</c> (applied now), <c>unchanged</c> (a replay of a
/// record already applied: nothing touched) or <c>rejected</c> (nothing applied; the issues say why).
/// <see cref="RefusedStatus"/> is set for a record refused before it was stored (NUL, too big):
/// the HTTP status the record API answers it with; such a record has no id.
/// </summary>
public sealed record RecordReport(string RecordId, string Format, string RecordKey, int? RowNumber, string Outcome, IReadOnlyList<RecordIssue> Issues, IReadOnlyList<string> Produced, string? Note = null,
    int? RefusedStatus = null)
{
    public const string Accepted = "accepted";
    public const string Unchanged = "unchanged";
    public const string Rejected = "rejected";
}
