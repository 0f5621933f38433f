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

        bundle.Entry.AddRange(result.Matches.Select(m => Entry(baseUrl, m, Bundle.SearchEntryMode.Match)));
        bundle.Entry.AddRange(result.Included.Select(m => Entry(baseUrl, m, Bundle.SearchEntryMode.Include)));
        if (search.IgnoredParameters.Count > 0)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                Resource = new OperationOutcome { Issue = search.IgnoredParameters.ToList() },
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome },
            });
        }

        return bundle;
    }

    private static Bundle.EntryComponent Entry(string baseUrl, StoredResource stored, Bundle.SearchEntryMode mode) => new()
    {
        FullUrl = $"{baseUrl}/{stored.ResourceType}/{stored.Id}",
        Resource = stored.Resource,
        Search = new Bundle.SearchComponent { Mode = mode },
    };

    private static Bundle.LinkComponent Link(string relation, string baseUrl, string type, IEnumerable<KeyValuePair<string, string>> pairs) => new()
    {
        Relation = relation,
        Url = $"{baseUrl}/{type}?" + string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))),
    };
}
