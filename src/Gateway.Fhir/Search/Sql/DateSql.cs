using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>
/// Date matching with the R4 prefixes (search.html#prefix), comparing the search value's range
/// [lo, hi) with each indexed range [start_at, end_at).
/// </summary>
internal static class DateSql
{
    public static string Match(NpgsqlCommand command, string parameterName, string value, string start = "d.start_at", string end = "d.end_at")
    {
        var prefix = value.Length > 2 && char.IsLetter(value[0]) && char.IsLetter(value[1]) ? value[..2] : "eq";
        var text = prefix == "eq" && !value.StartsWith("eq", StringComparison.Ordinal) ? value : value[2..];
        if (!DateRange.TryParse(text, out var range))
        {
            throw new FhirException(400, OperationOutcome.IssueType.Invalid,
                $"'{value}' is not a valid date search value for '{parameterName}': expected an optional prefix (eq, ne, lt, gt, le, ge, sa, eb) and a FHIR date such as 2026-09-28 or 2026-09-28T10:20:00Z.",
                parameterName);
        }

        var lo = command.Bind(range.Start);
        var hi = command.Bind(range.End);
        var equal = $"({start} >= {lo} and {end} <= {hi})";
        return prefix switch
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
            "ap" => $"({start} < {hi} and {end} > {lo})",
            _ => throw new FhirException(400, OperationOutcome.IssueType.Invalid, $"'{prefix}' in '{value}' is not a FHIR search prefix.", parameterName),
        };
    }
}
