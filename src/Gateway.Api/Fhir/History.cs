using Gateway.Api.Smart;
using System.Globalization;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Fhir;

/// <summary>Instance, type and system history (FHIR R4 http.html#history): a history Bundle, newest first, paged by a keyset cursor.</summary>
public static class History
{
    public static Task<IResult> HandleInstance(string type, string id, HttpRequest request, ResourceStore store, IOptions<FhirOptions> options, TimeProvider clock, CancellationToken ct)
    {
        FhirRequest.SupportedType(type);
        FhirRequest.ValidId(id);
        return Page(type, id, request, store, options.Value, clock, ct);
    }

    public static Task<IResult> HandleType(string type, HttpRequest request, ResourceStore store, IOptions<FhirOptions> options, TimeProvider clock, CancellationToken ct) =>
        Page(FhirRequest.SupportedType(type), null, request, store, options.Value, clock, ct);

    public static Task<IResult> HandleSystem(HttpRequest request, ResourceStore store, IOptions<FhirOptions> options, TimeProvider clock, CancellationToken ct) =>
        Page(null, null, request, store, options.Value, clock, ct);

    private static async Task<IResult> Page(string? type, string? id, HttpRequest request, ResourceStore store, FhirOptions options, TimeProvider clock, CancellationToken ct)
    {
        var count = Count(request, options);
        var since = Since(request);
        var cursor = request.Query["_cursor"].ToString() is { Length: > 0 } c ? c : null;
        var page = await store.HistoryAsync(new HistoryRequest(type, id, since, count, cursor), ct, request.HttpContext.Caller());
        if (id is not null && page.Entries.Count == 0)
        {
            // Only an empty page can mean an unknown instance: 404, as a read would (a deleted one still has its history).
            await EnsureKnown(store, type!, id, request.HttpContext.Caller(), ct);
        }
        var baseUrl = FhirRequest.BaseUrl(request);
        var self = baseUrl + (type is null ? "" : "/" + type) + (id is null ? "" : "/" + id) + "/_history";
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.History,
            Timestamp = clock.GetUtcNow(),
            Link = [new() { Relation = "self", Url = self + request.QueryString }],
            Entry = page.Entries.Select(e => Entry(baseUrl, e)).ToList(),
        };
        if (page.NextCursor is not null)
        {
            var next = $"{self}?_count={count}&_cursor={page.NextCursor}" +
                (since is null ? "" : "&_since=" + Uri.EscapeDataString(since.Value.ToString("o", CultureInfo.InvariantCulture)));
            bundle.Link.Add(new() { Relation = "next", Url = next });
        }

        return FhirResult.Of(bundle);
    }

    private static Bundle.EntryComponent Entry(string baseUrl, HistoryEntry entry)
    {
        var stored = entry.Stored;
        var url = $"{stored.ResourceType}/{stored.Id}";
        return new Bundle.EntryComponent
        {
            FullUrl = $"{baseUrl}/{url}",
            Resource = stored.Resource,
            Request = new Bundle.RequestComponent
            {
                Method = entry.Method switch
                {
                    "POST" => Bundle.HTTPVerb.POST,
                    "DELETE" => Bundle.HTTPVerb.DELETE,
                    "PATCH" => Bundle.HTTPVerb.PATCH,
                    _ => Bundle.HTTPVerb.PUT,
                },
                Url = entry.Method == "POST" ? stored.ResourceType : url,
            },
            Response = new Bundle.ResponseComponent
            {
                Status = entry.Method switch { "POST" => "201 Created", "DELETE" => "204 No Content", _ => "200 OK" },
                Etag = stored.VersionTag,
                LastModified = stored.LastUpdated,
            },
        };
    }

    private static async Task EnsureKnown(ResourceStore store, string type, string id, Gateway.Fhir.Access.CallingPartner? caller, CancellationToken ct)
    {
        try
        {
            await store.ReadAsync(type, id, ct, caller);
        }
        catch (ResourceGoneException)
        {
        }
    }

    private static int Count(HttpRequest request, FhirOptions options)
    {
        var text = request.Query["_count"].ToString();
        if (text.Length == 0)
        {
            return options.DefaultPageSize;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? Math.Min(count, options.MaxPageSize)
            : throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"_count '{text}' is not a positive number.", "_count");
    }

    private static DateTimeOffset? Since(HttpRequest request)
    {
        var text = request.Query["_since"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        // _since is an instant: a full date-time with a time zone (FHIR R4 http.html#history).
        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var since)
            && text.Length > 19 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            ? since
            : throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
                $"_since '{text}' is not an instant such as 2026-09-28T10:20:00Z.", "_since");
    }
}
