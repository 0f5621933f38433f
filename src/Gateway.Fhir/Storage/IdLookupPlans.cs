using Gateway.Fhir.Search;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The plan mode of an id lookup inside a write (issue 18). Searches plan for their values,
/// because a generic plan drives from whichever condition comes first, skewed or not. A lookup by
/// one <c>identifier=system|code</c> or one <c>_id</c> has a single condition, on a value that
/// names one resource, so its generic plan is the custom one (one probe of <c>search_token_lookup</c>
/// or <c>resource_type_id_unique</c>, then the resource and, for a partner, its audience row by
/// key; checked with <c>EXPLAIN</c> on the 100,000-referral store, docs/performance.md). Planned
/// afresh it cost 0.2–0.5 ms a call, four to seven calls a referral bundle (conditional creates,
/// patient matching); generic, PostgreSQL plans it once per connection.
/// </summary>
internal static class IdLookupPlans
{
    public const string Custom = "force_custom_plan";
    public const string Generic = "force_generic_plan";

    public static string ModeFor(SearchCriteria criteria) =>
        criteria.Clauses is [{ Modifier: null, Chain: null, Values: [var value] } clause] && NamesOne(clause.Name, value) ? Generic : Custom;

    // An identifier with both its system and its code: a code alone, or a system alone, can be shared by many.
    private static bool NamesOne(string name, string value) => name switch
    {
        "_id" => true,
        "identifier" => value.IndexOf('|', StringComparison.Ordinal) is > 0 and var bar && bar < value.Length - 1,
        _ => false,
    };
}
