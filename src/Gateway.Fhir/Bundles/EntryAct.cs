namespace Gateway.Fhir.Bundles;

internal enum EntryActKind
{
    /// <summary>A new resource under an id chosen in advance.</summary>
    Create,

    /// <summary>A conditional create whose criteria matched: the existing resource is answered, untouched.</summary>
    Existing,
    Update,
    Delete,
    Read,

    /// <summary>A search, run after the bundle's writes so it sees them (FHIR R4 http.html#trules).</summary>
    Search,
}

/// <summary>
/// What an entry will do to which resource, decided before a transaction writes anything, so that
/// every fullUrl can be mapped to its Type/id first (FHIR R4 http.html#trules).
/// </summary>
internal sealed record EntryAct(EntryActKind Kind, string ResourceType, string Id, int? Version = null)
{
    public string Reference => $"{ResourceType}/{Id}";

    /// <summary>Acts that change or answer a given resource; a transaction may not have two of them on one resource.</summary>
    public bool ClaimsIdentity => Kind is not (EntryActKind.Create or EntryActKind.Read or EntryActKind.Search);
}
