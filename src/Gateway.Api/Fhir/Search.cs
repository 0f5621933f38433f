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
        var search = SearchRequestParser.Parse(type, pairs, lenient: !strict, options.DefaultPageSize, options.MaxPageSize, options.MaxSortKeys);
        var baseUrl = FhirRequest.BaseUrl(request);
        var result = await engine.SearchAsync(search, baseUrl, request.HttpContext.Caller(), ct);

        return new SearchsetResult(SearchsetBundle.Shell(baseUrl, type, pairs, result, clock.GetUtcNow()),
            SearchsetBundle.Entries(baseUrl, search, result), Read.SummaryFilter(request, ignoreCount: true));
    }
}
