using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search;

/// <summary>What to find (<see cref="Criteria"/>) and how to return it: page size, order, totals, includes.</summary>
public sealed record SearchRequest(
    SearchCriteria Criteria,
    int Count,
    IReadOnlyList<SortKey> Sort,
    bool CountOnly,
    bool Total,
    IReadOnlyList<IncludeRequest> Includes,
    IReadOnlyList<IncludeRequest> RevIncludes,
    PageCursor? Cursor,
    IReadOnlyList<OperationOutcome.IssueComponent> IgnoredParameters);

/// <summary>One <c>_sort</c> key: a search parameter name (or <c>_id</c>, <c>_lastUpdated</c>) and its direction.</summary>
public sealed record SortKey(string Name, Index.SearchParamKind? Kind, bool Descending);

/// <summary>
/// <c>_include=Task:owner</c> (or <c>_revinclude=Task:focus</c>): the resources the matches
/// point at through <see cref="Parameter"/> of <see cref="SourceType"/> (or those pointing at the
/// matches); a null parameter means every reference parameter (<c>Task:*</c>).
/// </summary>
public sealed record IncludeRequest(string SourceType, string? Parameter, string? TargetType);
