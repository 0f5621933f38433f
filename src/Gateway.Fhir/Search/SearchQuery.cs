using Gateway.Fhir.Errors;
using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search;

/// <summary>
/// Parses search parameters (<c>name[:modifier]=v1,v2</c>, chains <c>ref[:Type].param=v</c>)
/// against the registry of the resource type.
/// </summary>
public static class SearchQuery
{
    private static readonly string[] ValueModifiers = ["exact", "contains", "missing", "not", "text", "identifier"];

    /// <summary>Parses a query string such as <c>identifier=https://fhir.nhs.uk/Id/nhs-number|9995908301</c> (from If-None-Exist).</summary>
    public static SearchCriteria Parse(string resourceType, string queryString) => Parse(resourceType, SplitQuery(queryString));

    public static IEnumerable<KeyValuePair<string, string>> SplitQuery(string queryString) =>
        queryString.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                return equals < 0
                    ? new KeyValuePair<string, string>(Unescape(pair), "")
                    : new KeyValuePair<string, string>(Unescape(pair[..equals]), Unescape(pair[(equals + 1)..]));
            });

    /// <summary>
    /// Parses name/value pairs. An unknown parameter or modifier is a 400 naming it, unless
    /// <paramref name="ignored"/> is given (<c>Prefer: handling=lenient</c>, FHIR R4
    /// search.html#errors): then it is left out and reported there. Conditional writes never
    /// pass <paramref name="ignored"/>: a criterion they cannot honour must not be dropped.
    /// </summary>
    public static SearchCriteria Parse(string resourceType, IEnumerable<KeyValuePair<string, string>> pairs,
        ICollection<OperationOutcome.IssueComponent>? ignored = null)
    {
        var all = pairs.ToList();
        NulCharacters.Refuse(all);
        var clauses = new List<SearchClause>();
        foreach (var (key, value) in all)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw Invalid($"The search parameter '{key}' has no value.", key);
            }

            try
            {
                clauses.Add(ParseClause(resourceType, key, key, value));
            }
            catch (UnknownParameterException unknown)
            {
                if (ignored is null)
                {
                    throw new FhirException(400, OperationOutcome.IssueType.NotSupported, unknown.Message, key);
                }

                ignored.Add(new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Warning,
                    Code = OperationOutcome.IssueType.NotSupported,
                    Diagnostics = unknown.Message + " It was ignored (Prefer: handling=lenient).",
                    Expression = [key],
                });
            }
        }

        return new SearchCriteria(resourceType, clauses);
    }

    private static SearchClause ParseClause(string resourceType, string fullKey, string key, string value)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            return ParseChain(resourceType, fullKey, key[..dot], key[(dot + 1)..], value);
        }

        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? key : key[..colon];
        var modifier = colon < 0 ? null : key[(colon + 1)..];
        if (name is "_id" or "_lastUpdated")
        {
            if (modifier is not null && !(name == "_id" && modifier == "not"))
            {
                throw new UnknownParameterException($"The modifier ':{modifier}' is not supported on {name}.");
            }

            return new SearchClause(fullKey, null, modifier, SplitValues(value));
        }

        var parameter = SearchParameterRegistry.Find(resourceType, name)
            ?? throw new UnknownParameterException($"The search parameter '{name}' is not supported for {resourceType}.");
        if (modifier is not null && !ValueModifiers.Contains(modifier, StringComparer.Ordinal)
            && !(parameter.Type == SearchParamKind.Reference && ModelInfo.IsKnownResource(modifier)))
        {
            throw new UnknownParameterException($"The modifier ':{modifier}' of '{key}' is not supported.");
        }

        return new SearchClause(fullKey, parameter, modifier, SplitValues(value));
    }

    // FHIR R4 search.html#chaining: one level, e.g. patient.identifier=... or subject:Patient.identifier=...
    private static SearchClause ParseChain(string resourceType, string fullKey, string referencePart, string targetPart, string value)
    {
        var colon = referencePart.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? referencePart : referencePart[..colon];
        var typeModifier = colon < 0 ? null : referencePart[(colon + 1)..];
        var parameter = SearchParameterRegistry.Find(resourceType, name);
        if (parameter is not { Type: SearchParamKind.Reference })
        {
            throw new UnknownParameterException($"'{name}' in '{fullKey}' is not a reference search parameter of {resourceType}, so it cannot be chained.");
        }

        var targetName = targetPart.Split(':')[0];
        var candidates = typeModifier is not null ? [typeModifier] : parameter.TargetTypes;
        var targetTypes = candidates.Where(t => targetName is "_id" || SearchParameterRegistry.Find(t, targetName) is not null).ToList();
        if (targetTypes.Count == 0 || (typeModifier is not null && !parameter.TargetTypes.Contains(typeModifier)))
        {
            throw new UnknownParameterException($"None of the types '{name}' can point at ({string.Join(", ", candidates)}) has a search parameter '{targetName}'.");
        }

        if (targetPart.Contains('.', StringComparison.Ordinal))
        {
            throw new UnknownParameterException($"'{fullKey}' chains more than one level; this server supports one.");
        }

        var target = ParseClause(targetTypes[0], targetPart, targetPart, value);
        return new SearchClause(fullKey, parameter, typeModifier, target.Values, new ChainedClause(targetTypes, target));
    }

    // FHIR R4 search.html#escaping: a comma separates values unless escaped as "\,".
    private static List<string> SplitValues(string value)
    {
        var values = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] == ',')
            {
                current.Append(',');
                i++;
            }
            else if (value[i] == ',')
            {
                values.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(value[i]);
            }
        }

        values.Add(current.ToString());
        return values;
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static FhirException Invalid(string diagnostics, string parameter) =>
        new(400, OperationOutcome.IssueType.Invalid, diagnostics, parameter);

    /// <summary>A parameter or modifier this server does not know: 400 in strict handling, ignored in lenient.</summary>
    private sealed class UnknownParameterException(string message) : Exception(message);
}
