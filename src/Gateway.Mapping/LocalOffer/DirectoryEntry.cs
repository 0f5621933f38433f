namespace Gateway.Mapping.LocalOffer;

/// <summary>
/// One service of a directory source, whatever its format (ORUK / HSDS 3, the welfare activities
/// CSV): what the import makes a HealthcareService, its Organization and Location of. Source ids
/// are the source's own, so a re-import finds what the last one made.
/// </summary>
public sealed record DirectoryEntry(
    string SourceId,
    string Name,
    string? Description,
    bool Active,
    IReadOnlyList<DirectoryCode> Categories,
    DirectoryOrganization? Organization,
    DirectoryLocation? Location,
    IReadOnlyList<DirectoryContact> Contacts,
    DirectoryCapacity? Capacity);

/// <summary>What the source says of the service's capacity: whether it takes referrals, and the expected wait in days.</summary>
public sealed record DirectoryCapacity(bool AcceptsReferrals, int? WaitDays);

public sealed record DirectoryCode(string? System, string Code, string? Display);

public sealed record DirectoryOrganization(string SourceId, string Name);

public sealed record DirectoryLocation(string SourceId, string? Name, string? Line, string? City, string? Postcode, double? Latitude, double? Longitude);

/// <param name="System">phone, email or url (FHIR ContactPoint.system).</param>
public sealed record DirectoryContact(string System, string Value);

/// <summary>An entry as read from its source: the entry, or why it could not be read (at its place in the source).</summary>
public sealed record DirectoryEntryRead(string SourceId, int Position, DirectoryEntry? Entry, IReadOnlyList<RecordIssue> Issues);
