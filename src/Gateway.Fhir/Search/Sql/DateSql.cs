using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>
/// Date matching with the R4 prefixes (search.html#prefix), comparing the search value's range
/// [lo, hi) with each indexed range [start, end).
/// </summary>
internal static class DateSql
{
    private static readonly string[] Prefixes = ["eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"];

    public static string Match(NpgsqlCommand command, string parameterName, string value, string start, string end)
    {
        var prefix = value.Length > 2 && Prefixes.Contains(value[..2], StringComparer.Ordinal) ? value[..2] : null;
        var text = prefix is null ? value : value[2..];
        if (!DateRange.TryParse(text, out var range))
        {
            throw new FhirException(400, OperationOutcome.IssueType.Invalid,
                $"'{value}' is not a valid date search value for '{parameterName}': expected an optional prefix (eq, ne, lt, gt, le, ge, sa, eb, ap) and a FHIR date such as 2026-09-28 or 2026-09-28T10:20:00Z.",
                parameterName);
        }

        var lo = command.Bind(range.Start);
        var hi = command.Bind(range.End);
        var equal = $"({start} >= {lo} and {end} <= {hi})";
        return (prefix ?? "eq") switch
        {
            "eq" => equal,
            "ne" => $"not {equal}",
            "gt" => $"{end} > {hi}",
            "lt" => $"{start} < {lo}",
            "ge" => $"({end} > {hi} or {equal})",
            "le" => $"({start} < {lo} or {equal})",
            "sa" => $"{start} >= {hi}",
            "eb" => $"{end} <= {lo}",
            // ap: the ranges overlap; the spec leaves the approximation to the server.
            _ => $"({start} < {hi} and {end} > {lo})",
        };
    }
}
