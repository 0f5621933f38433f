using Gateway.Fhir.Search.Index;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>
/// String matching, FHIR R4 search.html#string: case- and accent-insensitive prefix by default,
/// <c>:exact</c> for the exact text, <c>:contains</c> anywhere; token <c>:text</c> matches the display the same way.
/// </summary>
internal static class StringSql
{
    public static string Match(NpgsqlCommand command, string? modifier, string value, string alias) => modifier switch
    {
        "exact" => $"{alias}.exact = {command.Bind(value)}",
        "contains" => $"{alias}.normalized like {command.Bind("%" + EscapeLike(StringNormalizer.Normalize(value)) + "%")}",
        "text" => $"lower({alias}) like {command.Bind("%" + EscapeLike(value.ToLowerInvariant()) + "%")}",
        _ => $"{alias}.normalized like {command.Bind(EscapeLike(StringNormalizer.Normalize(value)) + "%")}",
    };

    private static string EscapeLike(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal);
}
