using Gateway.Fhir.Search.Index;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>
/// The sort keys of a search as SQL expressions with one value per resource, and the keyset
/// condition that continues after (or before) a cursor. The resource key is always the last
/// key, so the order is total and no row is skipped or repeated between pages.
/// </summary>
internal static class SortSql
{
    /// <summary>The expression of a sort key over <paramref name="alias"/>; a resource without a value sorts last either way.</summary>
    public static (string Expression, string SqlType) Expression(NpgsqlCommand command, SortKey key, string alias)
    {
        if (key.Name == "_id")
        {
            return ($"{alias}.resource_id collate \"C\"", "text");
        }

        if (key.Name == "_lastUpdated")
        {
            return ($"{alias}.last_updated", "timestamptz");
        }

        var aggregate = key.Descending ? "max" : "min";
        var param = command.Bind(key.Name);
        return key.Kind switch
        {
            SearchParamKind.Date => (
                $"coalesce((select {aggregate}(d.{(key.Descending ? "end_at" : "start_at")}) from search_date d where d.resource_key = {alias}.resource_key and d.param = {param}), " +
                $"'{(key.Descending ? "-infinity" : "infinity")}'::timestamptz)", "timestamptz"),
            SearchParamKind.String => (
                $"coalesce((select {aggregate}(s.normalized) from search_string s where s.resource_key = {alias}.resource_key and s.param = {param}), {(key.Descending ? "''" : "chr(1114111)")}) collate \"C\"", "text"),
            _ => (
                $"coalesce((select {aggregate}(t.code) from search_token t where t.resource_key = {alias}.resource_key and t.param = {param}), {(key.Descending ? "''" : "chr(1114111)")}) collate \"C\"", "text"),
        };
    }

    /// <summary>
    /// Rows strictly after the cursor in the sort order (or strictly before it, going backwards):
    /// (s0 > v0) or (s0 = v0 and s1 > v1) or ... or (all equal and key > k), each comparison
    /// turned round for a descending key.
    /// </summary>
    public static string After(NpgsqlCommand command, IReadOnlyList<(string Column, string SqlType, bool Descending)> keys, PageCursor cursor, string keyColumn)
    {
        var alternatives = new List<string>();
        var equalSoFar = new List<string>();
        for (var i = 0; i < keys.Count; i++)
        {
            var (column, sqlType, descending) = keys[i];
            var value = $"{command.Bind(cursor.SortValues[i])}::{sqlType}";
            var greater = descending == cursor.Backwards ? ">" : "<";
            alternatives.Add(string.Join(" and ", equalSoFar.Append($"{column} {greater} {value}")));
            equalSoFar.Add($"{column} = {value}");
        }

        alternatives.Add(string.Join(" and ", equalSoFar.Append($"{keyColumn} {(cursor.Backwards ? "<" : ">")} {command.Bind(cursor.ResourceKey)}")));
        return "(" + string.Join("\n   or ", alternatives.Select(a => "(" + a + ")")) + ")";
    }
}
