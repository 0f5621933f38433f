using Gateway.Api.Smart;
using Gateway.Fhir.Access;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Fhir;

/// <summary>
/// search-type (FHIR R4 http.html#search): GET [type]?params and POST [type]/_search with a form
/// body. Answers a searchset Bundle with match and include entries, keyset-paged links, and, under
/// <c>Prefer: handling=lenient</c> (the default, as in HAPI), an outcome entry naming what was ignored.
/// </summary>
public static class Search
{
    public static Task<IResult> HandleGet(string type, HttpRequest request, SearchEngine engine, IOptions<FhirOptions> options, TimeProvider clock, CancellationToken ct) =>
        Run(type, request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))).ToList(), request, engine, options.Value, clock, ct);

    public static async Task<IResult> HandlePost(string type, HttpRequest request, SearchEngine engine, IOptions<FhirOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            throw new Gateway.Fhir.Errors.NotSupportedByServerException(StatusCodes.Status415UnsupportedMediaType,
                "POST [type]/_search takes its parameters as application/x-www-form-urlencoded.");
        }

        var form = await request.ReadFormAsync(ct);
        // search.html#search-post: the URL's parameters and the body's count together.
        var pairs = request.Query.Concat(form).SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))).ToList();
        return await Run(type, pairs, request, engine, options.Value, clock, ct);
    }

    private static async Task<IResult> Run(string type, List<KeyValuePair<string, string>> pairs, HttpRequest request, SearchEngine engine, FhirOptions options, TimeProvider clock, CancellationToken ct)
    {
        FhirRequest.SupportedType(type);
        DataMinimisation.CheckSearch(request.HttpContext.Caller(), pairs);
        var strict = request.Headers["Prefer"].ToString().Contains("handling=strict", StringComparison.OrdinalIgnoreCase);
        var search = SearchRequestParser.Parse(type, pairs, lenient: !strict, options.DefaultPageSize, options.MaxPageSize);
        var baseUrl = FhirRequest.BaseUrl(request);
        var result = await engine.SearchAsync(search, baseUrl, request.HttpContext.Caller(), ct);

        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Timestamp = clock.GetUtcNow(),
            Total = result.Total is { } total ? (int)Math.Min(total, int.MaxValue) : null,
        };
        var query = pairs.Where(p => p.Key != "_cursor").ToList();
        bundle.Link.Add(Link("self", baseUrl, type, pairs));
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

        return FhirResult.Of(bundle).WithFilter(Read.SummaryFilter(request, ignoreCount: true));
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
