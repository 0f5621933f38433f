using Gateway.Fhir.Errors;
using Gateway.Api.Smart;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Serialization;

namespace Gateway.Api.Fhir;

/// <summary>read and vread (FHIR R4 http.html#read, #vread): 404 unknown, 410 deleted.</summary>
public static class Read
{
    public static async Task<IResult> Handle(string type, string id, HttpRequest request, ResourceStore store, CancellationToken ct)
    {
        try
        {
            var stored = await store.ReadAsync(FhirRequest.SupportedType(type), FhirRequest.ValidId(id), ct, request.HttpContext.Caller());
            return FhirResult.Resource(stored).WithFilter(SummaryFilter(request));
        }
        catch (ResourceGoneException gone)
        {
            return Gone(gone);
        }
    }

    public static async Task<IResult> HandleVersion(string type, string id, string vid, HttpRequest request, ResourceStore store, CancellationToken ct)
    {
        FhirRequest.SupportedType(type);
        FhirRequest.ValidId(id);
        if (!int.TryParse(vid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            throw new Gateway.Fhir.Errors.ResourceNotFoundException($"{type}/{id} has no version '{vid}': versions are numbers.");
        }

        try
        {
            var stored = await store.VReadAsync(type, id, version, ct, request.HttpContext.Caller());
            return FhirResult.Resource(stored).WithFilter(SummaryFilter(request));
        }
        catch (ResourceGoneException gone)
        {
            return Gone(gone);
        }
    }

    // Answered here rather than by the exception handler, which drops ETag from error responses:
    // a 410 still tells which version deleted the resource.
    private static FhirResult Gone(ResourceGoneException gone) =>
        FhirResult.Outcome(StatusCodes.Status410Gone, gone.Issues).WithHeadersOf(gone);

    /// <summary><c>_summary</c> and <c>_elements</c> (FHIR R4 search.html#summary, #elements) also apply to reads.</summary>
    public static Func<SerializationFilter>? SummaryFilter(HttpRequest request, bool ignoreCount = false)
    {
        var elements = request.Query["_elements"].ToString();
        if (elements.Length > 0)
        {
            // As HAPI does: id and meta always come along, and so do mandatory elements (R4 search.html#elements).
            var names = elements.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append("id").Append("meta").Distinct().ToArray();
            return () => SerializationFilter.ForElements(names, true);
        }

        return request.Query["_summary"].ToString() switch
        {
            "true" => SerializationFilter.ForSummary,
            "text" => SerializationFilter.ForText,
            "data" => SerializationFilter.ForData,
            "" or "false" => null,
            "count" when ignoreCount => null,
            var other => throw new Gateway.Fhir.Errors.FhirException(400, Hl7.Fhir.Model.OperationOutcome.IssueType.Invalid,
                $"_summary '{other}' is not one of true, text, data, false.", "_summary"),
        };
    }
}
