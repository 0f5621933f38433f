namespace Gateway.Fhir.Storage;

/// <summary>One version in a history listing, with the interaction that made it.</summary>
public sealed record HistoryEntry(StoredResource Stored, string Method);

/// <summary>A page of history, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Entries, string? NextCursor);

/// <summary>
/// Which history: system (no type), type (type only) or instance (type and id). <see cref="Cursor"/>
/// is an opaque keyset position from a previous page, so paging stays stable while writes go on.
/// </summary>
public sealed record HistoryRequest(string? ResourceType, string? Id, DateTimeOffset? Since, int Count, string? Cursor);
