using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>Token matching, FHIR R4 search.html#token: <c>code</c>, <c>system|code</c>, <c>|code</c>, <c>system|</c>.</summary>
internal static class TokenSql
{
    public static string Match(NpgsqlCommand command, string alias, string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return $"{alias}.code = {command.Bind(value)}";
        }

        var system = value[..bar];
        var code = value[(bar + 1)..];
        if (system.Length == 0)
        {
            return $"{alias}.system is null and {alias}.code = {command.Bind(code)}";
        }

        return code.Length == 0
            ? $"{alias}.system = {command.Bind(system)}"
            : $"{alias}.system = {command.Bind(system)} and {alias}.code = {command.Bind(code)}";
    }
}
