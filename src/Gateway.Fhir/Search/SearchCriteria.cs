using Gateway.Fhir.Search.Index;

namespace Gateway.Fhir.Search;

/// <summary>
/// One search parameter of a query: its definition (null for <c>_id</c> and <c>_lastUpdated</c>),
/// modifier, and values. Several values are OR-ed (<c>status=a,b</c>); several clauses are AND-ed.
/// A chained clause (<c>patient.identifier=x</c>) has the reference parameter here and the
/// parameter of the referenced resource in <see cref="Chain"/>.
/// </summary>
public sealed record SearchClause(string Name, SearchParameterDefinition? Parameter, string? Modifier, IReadOnlyList<string> Values, ChainedClause? Chain = null);

/// <summary>The far side of a chain: which resource types the reference may point at, and what must hold for them.</summary>
public sealed record ChainedClause(IReadOnlyList<string> TargetTypes, SearchClause Target);

/// <summary>A parsed search on one resource type.</summary>
public sealed record SearchCriteria(string ResourceType, IReadOnlyList<SearchClause> Clauses)
{
    /// <summary>The criteria as a query string, for messages and links.</summary>
    public string Query => string.Join("&", Clauses.Select(c => c.Name + "=" + string.Join(",", c.Values)));

    /// <summary>A stable text of the criteria, the same for the same query in any order (used to lock conditional writes).</summary>
    public string CanonicalKey => ResourceType + "?" + string.Join("&", Clauses
        .Select(c => c.Name + "=" + string.Join(",", c.Values))
        .Order(StringComparer.Ordinal));
}
