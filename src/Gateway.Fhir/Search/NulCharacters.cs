using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search;

/// <summary>
/// A NUL (%00) in a search parameter is refused before any SQL: no FHIR value may hold one, and
/// PostgreSQL refuses it in text (22021) only once the statement runs.
/// </summary>
public static class NulCharacters
{
    /// <param name="source">Where the parameters came from when not the URL (e.g. If-None-Exist), for the diagnostics.</param>
    public static void Refuse(IEnumerable<KeyValuePair<string, string>> pairs, string? source = null)
    {
        foreach (var (key, value) in pairs)
        {
            if (key.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                var name = Shown(key);
                throw new FhirException(400, OperationOutcome.IssueType.Invalid,
                    $"The search parameter '{name}'{(source is null ? "" : " in " + source)} contains a NUL character (%00), which no FHIR value may hold.", name);
            }
        }
    }

    /// <summary>The text with each NUL written as %00, so it can be quoted back in a FHIR string.</summary>
    public static string Shown(string text) => text.Replace("\0", "%00", StringComparison.Ordinal);
}
