using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search;

/// <summary>
/// A search's answer as a searchset Bundle (FHIR R4 bundle.html#searchset, http.html#paging):
/// match and include entries, self/first/previous/next links, and an outcome entry naming what
/// lenient handling ignored.
/// </summary>
public static class SearchsetBundle
{
    public static Bundle Build(string baseUrl, string type, IReadOnlyList<KeyValuePair<string, string>> parameters,
        SearchRequest search, SearchResult result, DateTimeOffset now)
    {
        var bundle = Shell(baseUrl, type, parameters, result, now);
        bundle.Entry.AddRange(Entries(baseUrl, search, result).Select(e => e.ToComponent()));
        return bundle;
    }

    /// <summary>The Bundle without its entries: type, timestamp, total and the paging links.</summary>
    public static Bundle Shell(string baseUrl, string type, IReadOnlyList<KeyValuePair<string, string>> parameters,
        SearchResult result, DateTimeOffset now)
    {
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Timestamp = now,
            Total = result.Total is { } total ? (int)Math.Min(total, int.MaxValue) : null,
        };
        var query = parameters.Where(p => p.Key != "_cursor").ToList();
        bundle.Link.Add(Link("self", baseUrl, type, parameters));
        bundle.Link.Add(Link("first", baseUrl, type, query));
        if (result.Previous is { } previous)
        {
            bundle.Link.Add(Link("previous", baseUrl, type, [.. query, KeyValuePair.Create("_cursor", previous.Encode())]));
        }

        if (result.Next is { } next)
        {
            bundle.Link.Add(Link("next", baseUrl, type, [.. query, KeyValuePair.Create("_cursor", next.Encode())]));
        }

        return bundle;
    }

    /// <summary>The entries in order: matches, includes, then the outcome when lenient handling ignored something.</summary>
    public static IReadOnlyList<SearchsetEntry> Entries(string baseUrl, SearchRequest search, SearchResult result)
    {
        var entries = new List<SearchsetEntry>(result.Matches.Count + result.Included.Count + 1);
        entries.AddRange(result.Matches.Select(m => SearchsetEntry.Of(baseUrl, m, Bundle.SearchEntryMode.Match)));
        entries.AddRange(result.Included.Select(m => SearchsetEntry.Of(baseUrl, m, Bundle.SearchEntryMode.Include)));
        if (search.IgnoredParameters.Count > 0)
        {
            entries.Add(new SearchsetEntry(null, null, new OperationOutcome { Issue = search.IgnoredParameters.ToList() }, Bundle.SearchEntryMode.Outcome));
        }

        return entries;
    }

    private static Bundle.LinkComponent Link(string relation, string baseUrl, string type, IEnumerable<KeyValuePair<string, string>> pairs) => new()
    {
        Relation = relation,
        Url = $"{baseUrl}/{type}?" + string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))),
    };
}
