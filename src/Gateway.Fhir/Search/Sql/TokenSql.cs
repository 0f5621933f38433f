using Gateway.Fhir.Access;
using Gateway.Fhir.Validation.Profiles;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>Token matching, FHIR R4 search.html#token: <c>code</c>, <c>system|code</c>, <c>|code</c>, <c>system|</c>.</summary>
internal static class TokenSql
{
    /// <summary>
    /// For a caller that may not search by BSN (SPEC §8) no index row with a BSN system matches,
    /// and a BSN-shaped code matches nothing at all, with or without a system: the answer is then
    /// the same whether or not anyone holds that number, so it tells nothing.
    /// </summary>
    public static string Match(NpgsqlCommand command, string alias, string value, CallingPartner? caller)
    {
        if (!DataMinimisation.HidesBsn(caller))
        {
            return Match(command, alias, value);
        }

        var code = value[(value.IndexOf('|', StringComparison.Ordinal) + 1)..].Trim();
        if (IdentifierCheckDigits.IsValidBsn(code) || IdentifierCheckDigits.IsValidBsn("0" + code))
        {
            return "false";
        }

        return $"({Match(command, alias, value)}) and coalesce(lower({alias}.system), '') <> all({command.Bind(BsnSystems.LowerCaseForms)})";
    }

    private static string Match(NpgsqlCommand command, string alias, string value)
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
