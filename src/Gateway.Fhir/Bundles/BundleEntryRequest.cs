using Gateway.Fhir.Storage;
using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// What one entry of a transaction or batch asks for, read from its <c>request</c> (FHIR R4
/// bundle.html#request, http.html#transaction). The URL is relative to the FHIR base.
/// </summary>
internal sealed partial record BundleEntryRequest(
    int Index,
    Bundle.HTTPVerb Method,
    string ResourceType,
    string? Id,
    int? Version,
    SearchCriteria? Criteria,
    SearchCriteria? IfNoneExist,
    int? IfMatch,
    Resource? Resource,
    string? FullUrl)
{
    /// <summary>The parameters of a search entry (GET [type]?...); null for every other entry.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? SearchParameters { get; init; }

    public static BundleEntryRequest Parse(Bundle.EntryComponent entry, int index)
    {
        var request = entry.Request ?? throw Invalid("request", "A transaction or batch entry needs a request (method and url).");
        var method = request.Method ?? throw Invalid("request.method", "The request has no method.");
        var url = request.Url is { Length: > 0 } u ? u : throw Invalid("request.url", "The request has no url.");
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var query = question < 0 ? null : url[(question + 1)..];
        var path = question < 0 ? url : url[..question];
        if (path.Contains(':', StringComparison.Ordinal))
        {
            throw Invalid("request.url", $"'{url}' is absolute; give the url relative to the FHIR base, e.g. Patient or Patient/123.");
        }

        var segments = path.Trim('/').Split('/');
        var type = SupportedType(segments[0]);
        if (request.IfNoneExist is not null && method != Bundle.HTTPVerb.POST)
        {
            throw Invalid("request.ifNoneExist", "ifNoneExist belongs to a POST (conditional create) only.");
        }

        if (request.IfMatch is not null && method is not (Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.DELETE))
        {
            throw Invalid("request.ifMatch", "ifMatch belongs to a PUT or a DELETE only.");
        }

        if (request.IfNoneMatch is not null || request.IfModifiedSince is not null)
        {
            throw Invalid("request", "ifNoneMatch and ifModifiedSince are not supported inside a bundle.");
        }

        var ifMatch = request.IfMatch is null ? (int?)null : VersionOf(request.IfMatch);
        var entryRequest = new BundleEntryRequest(index, method, type, null, null, null, null, ifMatch, entry.Resource, entry.FullUrl);
        return method switch
        {
            Bundle.HTTPVerb.POST when segments.Length == 1 && query is null => entryRequest with
            {
                Resource = ResourceOf(entry, type),
                IfNoneExist = request.IfNoneExist is { } ifNoneExist ? ParseCriteria(type, ifNoneExist, "request.ifNoneExist") : null,
            },
            Bundle.HTTPVerb.PUT when segments.Length == 1 && query is not null => entryRequest with
            {
                Resource = ResourceOf(entry, type),
                Criteria = ParseCriteria(type, query, "request.url"),
            },
            Bundle.HTTPVerb.PUT when segments.Length == 2 && query is null => entryRequest with
            {
                Resource = ResourceWithId(entry, type, ValidId(segments[1])),
                Id = segments[1],
            },
            Bundle.HTTPVerb.DELETE when segments.Length == 2 && query is null => entryRequest with { Id = ValidId(segments[1]), Resource = null },
            Bundle.HTTPVerb.DELETE when segments.Length == 1 =>
                throw Invalid("request.url", "Conditional delete is not supported; delete by Type/id."),
            Bundle.HTTPVerb.GET when segments.Length == 2 && query is null => entryRequest with { Id = ValidId(segments[1]), Resource = null },
            Bundle.HTTPVerb.GET when segments is [_, var id, "_history", var vid] && query is null => entryRequest with
            {
                Id = ValidId(id),
                Version = int.TryParse(vid, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                    ? version
                    : throw Invalid("request.url", $"'{vid}' is not a version number."),
                Resource = null,
            },
            Bundle.HTTPVerb.GET when segments.Length == 1 => entryRequest with
            {
                Resource = null,
                SearchParameters = SearchQuery.SplitQuery(query ?? "").ToList(),
            },
            Bundle.HTTPVerb.PATCH or Bundle.HTTPVerb.HEAD =>
                throw new FhirException(405, OperationOutcome.IssueType.NotSupported, $"{method} is not supported inside a bundle.", "request.method"),
            _ => throw Invalid("request.url", $"'{url}' is not a URL that {method} takes inside a bundle."),
        };
    }

    private static string SupportedType(string type)
    {
        if (!SupportedResources.IsSupported(type))
        {
            throw new FhirException(404, [FhirException.Issue(OperationOutcome.IssueType.NotSupported, SupportedResources.IsFhirType(type)
                ? $"This server does not serve {type} resources; see /fhir/metadata for the types it does."
                : $"'{type}' is not a FHIR R4 resource type.", "request.url")]);
        }

        return type;
    }

    private static Resource ResourceOf(Bundle.EntryComponent entry, string type)
    {
        var resource = entry.Resource ?? throw Invalid("resource", $"A {entry.Request?.Method} needs a resource.");
        return resource.TypeName == type
            ? resource
            : throw Invalid("resource", $"The resource is a {resource.TypeName}, but the request url is for {type}.");
    }

    private static Resource ResourceWithId(Bundle.EntryComponent entry, string type, string id)
    {
        var resource = ResourceOf(entry, type);
        return resource.Id == id
            ? resource
            : throw Invalid("resource.id", resource.Id is null
                ? $"The {type} has no id; an update must carry the id of the url ({id})."
                : $"The id of the {type} ({resource.Id}) is not the id in the url ({id}).");
    }

    private static SearchCriteria ParseCriteria(string type, string query, string element)
    {
        try
        {
            return SearchQuery.Parse(type, query);
        }
        catch (FhirException e)
        {
            throw new FhirException(e.StatusCode, e.Issues.Select(i => FhirException.Issue(i.Code ?? OperationOutcome.IssueType.Invalid, i.Diagnostics ?? e.Message, element)).ToList());
        }
    }

    private static int VersionOf(string tag) => ResourceId.TryParseVersionTag(tag, out var version)
        ? version
        : throw Invalid("request.ifMatch", $"'{tag}' is not a version tag such as W/\"3\".");

    private static string ValidId(string id) => ResourceId.IsValid(id)
        ? id
        : throw Invalid("request.url", $"'{id}' is not a valid resource id: 1 to 64 letters, digits, '-' or '.'.");

    private static InvalidResourceException Invalid(string element, string diagnostics) =>
        new([FhirException.Issue(OperationOutcome.IssueType.Invalid, diagnostics, element)]);
}
