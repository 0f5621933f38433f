using Gateway.Fhir.Storage;

namespace Gateway.Fhir.Search;

/// <summary>One page of a search: the matches in order, what <c>_include</c>/<c>_revinclude</c> added, the total if asked, and the cursors around the page.</summary>
public sealed record SearchResult(
    IReadOnlyList<StoredResource> Matches,
    IReadOnlyList<StoredResource> Included,
    long? Total,
    PageCursor? Next,
    PageCursor? Previous);
