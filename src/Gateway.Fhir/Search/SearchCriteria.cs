using Gateway.Fhir.Search.Index;

namespace Gateway.Fhir.Search;

/// <summary>
/// One search parameter of a query: its definition (null for <c>_id</c>), modifier, and values.
/// Several values are OR-ed (<c>status=a,b</c>); several clauses are AND-ed.
/// </summary>
public sealed record SearchClause(string Name, SearchParameterDefinition? Parameter, string? Modifier, IReadOnlyList<string> Values);

/// <summary>A parsed search on one resource type.</summary>
public sealed record SearchCriteria(string ResourceType, IReadOnlyList<SearchClause> Clauses)
{
    /// <summary>The criteria as a query string, for messages.</summary>
    public string Query => string.Join("&", Clauses.Select(c => c.Name + (c.Modifier is null ? "" : ":" + c.Modifier) + "=" + string.Join(",", c.Values)));

    /// <summary>A stable text of the criteria, the same for the same query in any order (used to lock conditional writes).</summary>
    public string CanonicalKey => ResourceType + "?" + string.Join("&", Clauses
        .Select(c => c.Name + (c.Modifier is null ? "" : ":" + c.Modifier) + "=" + string.Join(",", c.Values))
        .Order(StringComparer.Ordinal));
}
