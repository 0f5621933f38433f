using System.Globalization;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search;

/// <summary>
/// Splits a search's parameters into criteria (<see cref="SearchQuery"/>) and result parameters
/// (search.html#return): <c>_count</c>, <c>_sort</c>, <c>_total</c>, <c>_summary=count</c>,
/// <c>_include</c>, <c>_revinclude</c> and our paging <c>_cursor</c>.
/// </summary>
public static class SearchRequestParser
{
    // Handled by the HTTP layer (formats and serialization filters); accepted here, not acted on.
    private static readonly HashSet<string> Presentation = ["_format", "_pretty", "_elements", "_summary"];

    /// <summary>More parameters, or a longer value, than any real search needs: refused before any SQL is built.</summary>
    public const int MaxParameters = 50;
    public const int MaxValueLength = 2048;

    /// <summary>Each sort key is another expression over every match; HAPI and Microsoft's FHIR server cap them too.</summary>
    public const int DefaultMaxSortKeys = 5;

    public static SearchRequest Parse(string resourceType, IEnumerable<KeyValuePair<string, string>> pairs, bool lenient, int defaultCount, int maxCount,
        int maxSortKeys = DefaultMaxSortKeys)
    {
        var all = pairs.ToList();
        if (all.Count > MaxParameters)
        {
            throw Invalid($"The search has {all.Count} parameters; this server takes at most {MaxParameters}.", all[MaxParameters].Key);
        }

        NulCharacters.Refuse(all);
        if (all.FirstOrDefault(p => p.Value.Length > MaxValueLength || p.Key.Length > 256) is { Key: not null } tooLong)
        {
            throw Invalid($"The value of '{tooLong.Key}' is longer than this server accepts ({MaxValueLength} characters).", tooLong.Key);
        }

        pairs = all;
        var ignored = new List<OperationOutcome.IssueComponent>();
        var criteria = new List<KeyValuePair<string, string>>();
        int? count = null;
        var sort = new List<SortKey>();
        var total = false;
        var countOnly = false;
        var includes = new List<IncludeRequest>();
        var revIncludes = new List<IncludeRequest>();
        PageCursor? cursor = null;

        foreach (var pair in pairs)
        {
            var (key, value) = pair;
            switch (key)
            {
                case "_count":
                    count = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                        ? n
                        : throw Invalid($"_count '{value}' is not a whole number.", key);
                    break;
                case "_sort":
                    sort.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Sort(resourceType, s)));
                    if (sort.Count > maxSortKeys)
                    {
                        throw Invalid($"_sort has {sort.Count} keys; this server sorts by at most {maxSortKeys}.", key);
                    }

                    break;
                case "_total":
                    total = value switch
                    {
                        "accurate" or "estimate" => true,
                        "none" => false,
                        _ => throw Invalid($"_total '{value}' is not one of none, estimate, accurate.", key),
                    };
                    break;
                case "_summary" when value == "count":
                    countOnly = true;
                    break;
                case "_include":
                    includes.Add(Include(resourceType, value, key, reverse: false));
                    break;
                case "_revinclude":
                    revIncludes.Add(Include(resourceType, value, key, reverse: true));
                    break;
                case "_cursor":
                    cursor = PageCursor.TryDecode(value) ?? throw Invalid($"The paging cursor '{value}' is not one this server issued.", key);
                    break;
                case var presentation when Presentation.Contains(presentation):
                    break;
                case var other when other.StartsWith('_') && other is not "_id" and not "_lastUpdated" && !other.StartsWith("_id:", StringComparison.Ordinal):
                    if (!lenient)
                    {
                        throw new FhirException(400, OperationOutcome.IssueType.NotSupported, $"The search parameter '{other}' is not supported.", other);
                    }

                    ignored.Add(new OperationOutcome.IssueComponent
                    {
                        Severity = OperationOutcome.IssueSeverity.Warning,
                        Code = OperationOutcome.IssueType.NotSupported,
                        Diagnostics = $"The search parameter '{other}' is not supported. It was ignored (Prefer: handling=lenient).",
                        Expression = [other],
                    });
                    break;
                default:
                    criteria.Add(pair);
                    break;
            }
        }

        if (count is 0 && !countOnly)
        {
            // search.html#count: _count=0 asks for the total only.
            countOnly = true;
        }

        return new SearchRequest(
            SearchQuery.Parse(resourceType, criteria, lenient ? ignored : null),
            Math.Clamp(count ?? defaultCount, 1, maxCount),
            sort,
            countOnly,
            total || countOnly,
            includes,
            revIncludes,
            cursor,
            ignored);
    }

    private static SortKey Sort(string resourceType, string text)
    {
        var descending = text.StartsWith('-');
        var name = descending ? text[1..] : text;
        if (name is "_id" or "_lastUpdated")
        {
            return new SortKey(name, null, descending);
        }

        var parameter = SearchParameterRegistry.Find(resourceType, name);
        return parameter is { Type: SearchParamKind.Date or SearchParamKind.String or SearchParamKind.Token or SearchParamKind.Uri }
            ? new SortKey(name, parameter.Type, descending)
            : throw Invalid($"_sort by '{name}' is not supported for {resourceType}: use _id, _lastUpdated, or a date, string or token parameter.", "_sort");
    }

    // search.html#include: SourceType:parameter[:TargetType], or SourceType:* for every reference.
    private static IncludeRequest Include(string resourceType, string value, string key, bool reverse)
    {
        var parts = value.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            throw Invalid($"{key} '{value}' is not of the form SourceType:parameter[:TargetType].", key);
        }

        var (source, parameter, target) = (parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        if (!reverse && source != resourceType)
        {
            throw Invalid($"_include '{value}' must start with the searched type {resourceType}.", key);
        }

        if (!Conformance.SupportedResources.IsSupported(source))
        {
            throw Invalid($"{key} '{value}': this server does not serve {source}.", key);
        }

        if (parameter != "*" && SearchParameterRegistry.Find(source, parameter) is not { Type: SearchParamKind.Reference })
        {
            throw Invalid($"{key} '{value}': '{parameter}' is not a reference search parameter of {source}.", key);
        }

        return new IncludeRequest(source, parameter == "*" ? null : parameter, target);
    }

    private static FhirException Invalid(string diagnostics, string parameter) =>
        new(400, OperationOutcome.IssueType.Invalid, diagnostics, parameter);
}
