using Gateway.Fhir.Access;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>
/// The queries behind <c>_include</c> (what the page's matches point at) and <c>_revinclude</c>
/// (what points at them), over the reference index (search.html#include).
/// </summary>
internal static class IncludeSql
{
    // One row per resource however many references lead to it: distinct on the key, as the body is
    // json (kept as written), which has no equality to compare rows by.
    private const string Columns = "r2.resource_type, r2.resource_id, r2.version, r2.last_updated, v.body";

    public static void Forward(NpgsqlCommand command, IncludeRequest include, IReadOnlyList<long> matchKeys, int limit, CallingPartner? caller)
    {
        command.CommandText = $"""
            select distinct on (r2.resource_key) {Columns}
            from search_reference x
            join resource r2 on r2.resource_type = x.target_type and r2.resource_id = x.target_id and not r2.is_deleted
            join resource_version v on v.resource_key = r2.resource_key and v.version = r2.version
            where x.resource_key = any({command.Bind(matchKeys.ToArray())})
              and x.resource_type = {command.Bind(include.SourceType)}
              {Filters(command, include)}
              and {PartnerVisibility.Condition(command, caller, "r2", include.TargetType is null ? null : [include.TargetType])}
            limit {command.Bind(limit)}
            """;
    }

    public static void Reverse(NpgsqlCommand command, IncludeRequest include, string matchType, IReadOnlyList<string> matchIds, int limit, CallingPartner? caller)
    {
        command.CommandText = $"""
            select distinct on (r2.resource_key) {Columns}
            from search_reference x
            join resource r2 on r2.resource_key = x.resource_key and not r2.is_deleted
            join resource_version v on v.resource_key = r2.resource_key and v.version = r2.version
            where x.resource_type = {command.Bind(include.SourceType)}
              and x.target_type = {command.Bind(matchType)}
              and x.target_id = any({command.Bind(matchIds.ToArray())})
              {Filters(command, include)}
              and {PartnerVisibility.Condition(command, caller, "r2", [include.SourceType])}
            limit {command.Bind(limit)}
            """;
    }

    private static string Filters(NpgsqlCommand command, IncludeRequest include) =>
        (include.Parameter is null ? "" : $"and x.param = {command.Bind(include.Parameter)} ") +
        (include.TargetType is null ? "" : $"and x.target_type = {command.Bind(include.TargetType)}");
}
