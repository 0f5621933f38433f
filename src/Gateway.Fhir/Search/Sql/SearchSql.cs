using Gateway.Fhir.Errors;
using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>
/// Turns <see cref="SearchCriteria"/> into SQL over the resource table and the index tables: one
/// EXISTS per clause (AND), its values OR-ed inside. Split by parameter type (TokenSql, StringSql,
/// DateSql, ReferenceSql) so no one file owns all of search.
/// </summary>
internal static class SearchSql
{
    public static string WhereClause(NpgsqlCommand command, SearchCriteria criteria)
    {
        var conditions = new List<string>
        {
            $"r.resource_type = {command.Bind(criteria.ResourceType)}",
            "not r.is_deleted",
        };
        foreach (var clause in criteria.Clauses)
        {
            conditions.Add(Clause(command, clause));
        }

        return string.Join("\n  and ", conditions);
    }

    private static string Clause(NpgsqlCommand command, SearchClause clause)
    {
        if (clause.Parameter is null)
        {
            return $"r.resource_id = any({command.Bind(clause.Values.ToArray())})";
        }

        var parameter = clause.Parameter;
        var (table, alias) = parameter.Type switch
        {
            SearchParamKind.Token or SearchParamKind.Uri => ("search_token", "t"),
            SearchParamKind.String => ("search_string", "s"),
            SearchParamKind.Date => ("search_date", "d"),
            SearchParamKind.Reference => ("search_reference", "x"),
            _ => throw new FhirException(400, OperationOutcome.IssueType.NotSupported, $"Searching by '{clause.Name}' is not supported.", clause.Name),
        };
        var values = clause.Values.Select(value => "(" + Value(command, clause, value) + ")");
        var exists = $"exists (select 1 from {table} {alias} where {alias}.resource_key = r.resource_key " +
            $"and {alias}.resource_type = r.resource_type and {alias}.param = {command.Bind(parameter.Name)} " +
            $"and ({string.Join(" or ", values)}))";
        return clause.Modifier == "not" ? "not " + exists : exists;
    }

    private static string Value(NpgsqlCommand command, SearchClause clause, string value) => clause.Parameter!.Type switch
    {
        SearchParamKind.Token => TokenSql.Match(command, value),
        SearchParamKind.Uri => $"t.code = {command.Bind(value)}",
        SearchParamKind.String => StringSql.Match(command, clause.Modifier, value),
        SearchParamKind.Date => DateSql.Match(command, clause.Name, value),
        SearchParamKind.Reference => ReferenceSql.Match(command, value),
        _ => "false",
    };

    public static void BuildIdQuery(NpgsqlCommand command, SearchCriteria criteria, int limit)
    {
        var where = WhereClause(command, criteria);
        command.CommandText = $"select r.resource_id from resource r where {where} order by r.resource_key limit {command.Bind(limit)}";
    }
}
