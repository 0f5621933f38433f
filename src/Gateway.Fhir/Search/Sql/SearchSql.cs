using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>
/// Turns <see cref="SearchCriteria"/> into a SQL condition over <c>resource</c> and the index
/// tables: one EXISTS per clause (AND), its values OR-ed inside. Split by parameter type
/// (TokenSql, StringSql, DateSql, ReferenceSql) so no one file owns all of search.
/// </summary>
internal static class SearchSql
{
    /// <param name="baseUrl">This server's FHIR base, so absolute references to it match (search.html#reference).</param>
    /// <param name="caller">Whose view: only what <see cref="PartnerVisibility"/> lets them see matches, chain targets included.</param>
    public static string WhereClause(NpgsqlCommand command, SearchCriteria criteria, CallingPartner? caller, string? baseUrl = null, string alias = "r")
    {
        var conditions = new List<string>
        {
            $"{alias}.resource_type = {command.Bind(criteria.ResourceType)}",
            $"not {alias}.is_deleted",
            PartnerVisibility.Condition(command, caller, alias, [criteria.ResourceType]),
        };
        conditions.AddRange(criteria.Clauses.Select(clause => Clause(command, clause, alias, baseUrl, caller)));
        return string.Join("\n  and ", conditions);
    }

    public static void BuildIdQuery(NpgsqlCommand command, SearchCriteria criteria, int limit, CallingPartner? caller)
    {
        var where = WhereClause(command, criteria, caller);
        command.CommandText = $"select r.resource_id from resource r where {where} order by r.resource_key limit {command.Bind(limit)}";
    }

    /// <summary>A page of ids in id order after <paramref name="afterId"/> (keyset paging for jobs that walk a whole result).</summary>
    public static void BuildIdPageQuery(NpgsqlCommand command, SearchCriteria criteria, int limit, string? afterId, CallingPartner? caller)
    {
        var where = WhereClause(command, criteria, caller);
        var after = afterId is null ? "" : $" and r.resource_id > {command.Bind(afterId)}";
        command.CommandText = $"select r.resource_id from resource r where {where}{after} order by r.resource_id limit {command.Bind(limit)}";
    }

    /// <summary>
    /// The keys of the resources that one clause of <paramref name="criteria"/> matches, read from its
    /// index table alone (and, for a chain, from the chain's targets), or null when no clause can.
    /// Every match of the whole search is among them, so a page query may start from these keys, in
    /// key order, and check the full condition row by row until the page is full, rather than
    /// settle each clause over all its matches first (docs/performance.md, "Searches on 100,000 referrals").
    /// </summary>
    public static string? DrivingKeys(NpgsqlCommand command, SearchCriteria criteria, CallingPartner? caller, string? baseUrl = null)
    {
        // A positive clause only: :not and :missing=true also match resources without an index row.
        // _id and _lastUpdated live on the resource table, not in an index table.
        // A chain's modifier names the target type (subject:Patient.identifier): its matches are still all positive.
        var clause = criteria.Clauses.FirstOrDefault(c => c.Parameter is not null && (c.Modifier is null || c.Chain is not null) && c.Values.Count > 0
            && c.Name.Split(':')[0] is not ("_id" or "_lastUpdated"));
        if (clause is null)
        {
            return null;
        }

        var parameter = clause.Parameter!;
        if (clause.Chain is { } chain)
        {
            // From the chain's targets (e.g. Patients by identifier) to what references them.
            return $"""
                select x.resource_key from resource tgt
                join search_reference x on x.resource_type = {command.Bind(criteria.ResourceType)} and x.param = {command.Bind(parameter.Name)}
                  and x.target_id = tgt.resource_id and x.target_type = tgt.resource_type
                where {TypeIn(command, "tgt", chain.TargetTypes)} and not tgt.is_deleted
                  and {PartnerVisibility.Condition(command, caller, "tgt", chain.TargetTypes)}
                  and {Clause(command, chain.Target with { Values = clause.Values }, "tgt", baseUrl, caller)}
                """;
        }

        var (table, index) = Table(parameter.Type);
        var match = string.Join(" or ", clause.Values.Select(value => "(" + Value(command, clause, index, value, baseUrl, caller) + ")"));
        return $"select {index}.resource_key from {table} {index} where {index}.resource_type = {command.Bind(criteria.ResourceType)} and {index}.param = {command.Bind(parameter.Name)} and ({match})";
    }

    // Equality where there is one type: PostgreSQL carries "= constant" over to the index tables'
    // resource_type (their indexes lead with it), but not "= any(array)".
    private static string TypeIn(NpgsqlCommand command, string alias, IReadOnlyList<string> types) => types.Count == 1
        ? $"{alias}.resource_type = {command.Bind(types[0])}"
        : $"{alias}.resource_type = any({command.Bind(types.ToArray())})";

    private static string Clause(NpgsqlCommand command, SearchClause clause, string alias, string? baseUrl, CallingPartner? caller)
    {
        switch (clause.Name.Split(':')[0])
        {
            case "_id":
                var ids = $"{alias}.resource_id = any({command.Bind(clause.Values.ToArray())})";
                return clause.Modifier == "not" ? $"not ({ids})" : ids;
            case "_lastUpdated":
                return "(" + string.Join(" or ", clause.Values.Select(v => DateSql.Match(command, clause.Name, v, $"{alias}.last_updated", $"({alias}.last_updated + interval '1 microsecond')"))) + ")";
        }

        var parameter = clause.Parameter!;
        var (table, index) = Table(parameter.Type);
        // The resource_type equality is implied by the key, but it lets PostgreSQL start from the
        // index tables' lookup indexes (which lead with resource_type) instead of scanning them.
        var rows = $"from {table} {index} where {index}.resource_key = {alias}.resource_key and {index}.resource_type = {alias}.resource_type and {index}.param = {command.Bind(parameter.Name)}";

        // search.html#modifiers: :missing=true finds resources without any value for the parameter.
        if (clause.Modifier == "missing")
        {
            var missing = clause.Values.Count == 1 && clause.Values[0] == "true";
            return $"{(missing ? "not " : "")}exists (select 1 {rows})";
        }

        var match = "(" + string.Join(" or ", clause.Values.Select(value => "(" + Value(command, clause, index, value, baseUrl, caller) + ")")) + ")";
        var exists = $"exists (select 1 {rows} and {match})";
        // :not on a token: resources with no value matching (search.html#token), so also those without the element.
        return clause.Modifier == "not" ? "not " + exists : exists;
    }

    private static string Value(NpgsqlCommand command, SearchClause clause, string index, string value, string? baseUrl, CallingPartner? caller)
    {
        // A chain may only pass through resources the caller may see, or it would tell what they hold.
        if (clause.Chain is { } chain)
        {
            return ReferenceSql.Chained(command, index, chain.TargetTypes, target =>
                PartnerVisibility.Condition(command, caller, target, chain.TargetTypes) + " and " + Clause(command, chain.Target with { Values = [value] }, target, baseUrl, caller));
        }

        return clause.Parameter!.Type switch
        {
            SearchParamKind.Token when clause.Modifier == "text" => StringSql.Match(command, "text", value, $"{index}.display"),
            SearchParamKind.Token => TokenSql.Match(command, index, value, caller),
            SearchParamKind.Uri => $"{index}.code = {command.Bind(value)}",
            SearchParamKind.Position => NearSql.Match(command, value, index),
            SearchParamKind.String => StringSql.Match(command, clause.Modifier, value, index),
            SearchParamKind.Date => DateSql.Match(command, clause.Name, value, $"{index}.start_at", $"{index}.end_at"),
            SearchParamKind.Reference when clause.Modifier == "identifier" =>
                ReferenceSql.Chained(command, index, clause.Parameter.TargetTypes, target => PartnerVisibility.Condition(command, caller, target, clause.Parameter.TargetTypes) + " and " +
                    $"exists (select 1 from search_token i where i.resource_key = {target}.resource_key and i.resource_type = {target}.resource_type and i.param = 'identifier' and {TokenSql.Match(command, "i", value, caller)})"),
            SearchParamKind.Reference => ReferenceSql.Match(command, index, clause.Modifier, value, baseUrl),
            _ => throw new FhirException(400, OperationOutcome.IssueType.NotSupported, $"Searching by '{clause.Name}' is not supported.", clause.Name),
        };
    }

    private static (string Table, string Alias) Table(SearchParamKind kind) => kind switch
    {
        SearchParamKind.Token or SearchParamKind.Uri => ("search_token", "t"),
        SearchParamKind.String => ("search_string", "s"),
        SearchParamKind.Date => ("search_date", "d"),
        SearchParamKind.Position => ("search_position", "p"),
        _ => ("search_reference", "x"),
    };
}
