using Gateway.Fhir.Errors;
using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search;

/// <summary>Parses search parameters (<c>name[:modifier]=v1,v2</c>) against the registry of the resource type.</summary>
public static class SearchQuery
{
    private static readonly string[] Modifiers = ["exact", "contains", "missing", "not", "text", "identifier"];

    /// <summary>Parses a query string such as <c>identifier=https://fhir.nhs.uk/Id/nhs-number|9995908301</c> (from If-None-Exist).</summary>
    public static SearchCriteria Parse(string resourceType, string queryString)
    {
        var pairs = queryString.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                return equals < 0
                    ? new KeyValuePair<string, string>(Uri.UnescapeDataString(pair), "")
                    : new KeyValuePair<string, string>(Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' ')));
            });
        return Parse(resourceType, pairs);
    }

    /// <summary>
    /// Parses name/value pairs; an unknown parameter or modifier is a 400 naming it (FHIR R4
    /// search.html#errors: a server that cannot honour a parameter for a conditional write must fail).
    /// </summary>
    public static SearchCriteria Parse(string resourceType, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var clauses = new List<SearchClause>();
        foreach (var (key, value) in pairs)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? key : key[..colon];
            var modifier = colon < 0 ? null : key[(colon + 1)..];
            if (string.IsNullOrWhiteSpace(value))
            {
                throw Invalid($"The search parameter '{key}' has no value.", key);
            }

            if (modifier is not null && !Modifiers.Contains(modifier, StringComparer.Ordinal))
            {
                throw Invalid($"The modifier ':{modifier}' of '{key}' is not supported.", key);
            }

            SearchParameterDefinition? parameter = null;
            if (name != "_id")
            {
                parameter = SearchParameterRegistry.Find(resourceType, name)
                    ?? throw Invalid($"The search parameter '{name}' is not supported for {resourceType}.", key);
            }

            clauses.Add(new SearchClause(name, parameter, modifier, SplitValues(value)));
        }

        return new SearchCriteria(resourceType, clauses);
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

    private static FhirException Invalid(string diagnostics, string parameter) =>
        new(400, OperationOutcome.IssueType.NotSupported, diagnostics, parameter);
}
