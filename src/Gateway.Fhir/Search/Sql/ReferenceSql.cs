using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>Reference matching, FHIR R4 search.html#reference: <c>Type/id</c>, a bare <c>id</c>, or an absolute URL.</summary>
internal static class ReferenceSql
{
    public static string Match(NpgsqlCommand command, string value)
    {
        if (value.Contains("://", StringComparison.Ordinal) || value.StartsWith("urn:", StringComparison.Ordinal))
        {
            return $"x.url = {command.Bind(value)}";
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? $"x.target_id = {command.Bind(value)}"
            : $"x.target_type = {command.Bind(value[..slash])} and x.target_id = {command.Bind(value[(slash + 1)..])}";
    }
}
