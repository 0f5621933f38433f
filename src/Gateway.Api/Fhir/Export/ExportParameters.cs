using System.Globalization;
using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Primitives;

namespace Gateway.Api.Fhir.Export;

/// <summary>
/// The kick-off's parameters (Bulk Data Access IG, export.html#query-parameters), checked before
/// anything is queued: <c>_type</c>, <c>_since</c> and <c>_outputFormat</c> are supported; any other
/// is a 400 naming it, rather than an export quietly wider than asked (the IG's
/// <c>handling=strict</c>; HAPI FHIR refuses unsupported parameters the same way).
/// </summary>
public sealed partial record ExportParameters(IReadOnlyList<string> Types, DateTimeOffset? Since)
{
    // ndjson is the IG's required format; these are the names it lists for it.
    private static readonly HashSet<string> NdjsonFormats = new(StringComparer.OrdinalIgnoreCase)
        { "application/fhir+ndjson", "application/ndjson", "ndjson" };

    private static readonly HashSet<string> NotSupported = new(StringComparer.Ordinal)
        { "_typeFilter", "_elements", "patient", "includeAssociatedData", "_until", "organizeOutputBy", "allowPartialManifests" };

    public static ExportParameters Parse(IQueryCollection query, CallingPartner caller)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(caller);
        foreach (var (name, _) in query)
        {
            if (NotSupported.Contains(name))
            {
                throw Invalid($"The $export parameter {name} is not supported by this server; _type, _since and _outputFormat are.", name, OperationOutcome.IssueType.NotSupported);
            }

            if (name is not ("_type" or "_since" or "_outputFormat" or "_format"))
            {
                throw Invalid($"{name} is not a parameter of $export; use _type, _since or _outputFormat.", name, OperationOutcome.IssueType.NotSupported);
            }
        }

        CheckOutputFormat(query["_outputFormat"]);
        if (query["_format"] is { Count: > 0 } format && FhirFormat.Parse(format.ToString()) is not false)
        {
            throw Invalid($"_format '{format}': the kick-off answers in application/fhir+json only.", "_format");
        }

        return new ExportParameters(ParseTypes(query["_type"], caller), ParseSince(query["_since"]));
    }

    private static void CheckOutputFormat(StringValues values)
    {
        foreach (var value in values)
        {
            if (!NdjsonFormats.Contains(value ?? ""))
            {
                throw Invalid($"_outputFormat '{value}' is not supported: use application/fhir+ndjson (or application/ndjson, ndjson).", "_outputFormat");
            }
        }
    }

    // Bulk Data IG: resources of the types asked for, and only those the client's scopes let it read.
    private static List<string> ParseTypes(StringValues values, CallingPartner caller)
    {
        var asked = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
        if (asked.Count == 0)
        {
            var permitted = PartnerVisibility.ExportTypes.Where(t => caller.Scopes.Permits(t, 'r')).ToList();
            return permitted.Count > 0 ? permitted : throw Forbidden(
                $"The access token allows reading none of the exported types ({string.Join(", ", PartnerVisibility.ExportTypes)}): request a token with scope system/Patient.r (or wider).");
        }

        foreach (var type in asked)
        {
            if (!PartnerVisibility.ExportTypes.Contains(type))
            {
                throw Invalid($"_type '{type}' is not exported: an export holds {string.Join(", ", PartnerVisibility.ExportTypes)}.", "_type");
            }

            if (!caller.Scopes.Permits(type, 'r'))
            {
                throw Forbidden($"The access token does not allow reading {type}: request a token with scope system/{type}.r (or wider), or leave {type} out of _type.");
            }
        }

        return PartnerVisibility.ExportTypes.Where(asked.Contains).ToList();
    }

    private static DateTimeOffset? ParseSince(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        // A FHIR instant: a date and time with its time zone (e.g. 2026-12-01T00:00:00Z; '+' encoded as %2B).
        if (values.Count > 1 || !Instant().IsMatch(values[0] ?? "")
            || !DateTimeOffset.TryParse(values[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out var since))
        {
            throw Invalid($"_since '{values}' is not one FHIR instant such as 2026-12-01T00:00:00Z (with its time zone; encode '+' as %2B).", "_since");
        }

        return since;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$")]
    private static partial System.Text.RegularExpressions.Regex Instant();

    private static FhirException Invalid(string diagnostics, string parameter, OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid) =>
        new(StatusCodes.Status400BadRequest, code, diagnostics, parameter);

    private static FhirException Forbidden(string diagnostics) =>
        new(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, diagnostics);
}
