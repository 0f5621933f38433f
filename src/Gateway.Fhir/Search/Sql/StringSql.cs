using Gateway.Fhir.Search.Index;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>String matching, FHIR R4 search.html#string: case- and accent-insensitive prefix by default.</summary>
internal static class StringSql
{
    public static string Match(NpgsqlCommand command, string? modifier, string value) => modifier switch
    {
        "exact" => $"s.exact = {command.Bind(value)}",
        "contains" => $"s.normalized like {command.Bind("%" + EscapeLike(StringNormalizer.Normalize(value)) + "%")}",
        _ => $"s.normalized like {command.Bind(EscapeLike(StringNormalizer.Normalize(value)) + "%")}",
    };

    private static string EscapeLike(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal);
}
