using Gateway.Api.Smart;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Patching;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Validation.Profiles;
using Microsoft.Net.Http.Headers;

namespace Gateway.Api.Fhir;

/// <summary>
/// patch with JSON Patch (FHIR R4 http.html#patch, RFC 6902): applied to the current version and
/// stored as the next one, with the same checks, codes and headers as an update.
/// </summary>
public static class Patch
{
    public static async Task<IResult> Handle(string type, string id, HttpRequest request, ResourceStore store, ProfileValidator validator, CancellationToken ct)
    {
        FhirRequest.WritableType(type);
        FhirRequest.ValidId(id);
        var patch = await ReadPatchAsync(request, ct);
        var ifMatch = FhirRequest.IfMatchVersion(request);
        var stored = await store.WriteAsync(writer => writer.PatchAsync(type, id, ifMatch, current => Valid(validator, ResourcePatch.Apply(current, patch)), ct), ct, request.HttpContext.Caller());
        return FhirResult.Resource(stored).HonouringPrefer();
    }

    // The patched result meets the profiles exactly as an update's body must.
    private static Hl7.Fhir.Model.Resource Valid(ProfileValidator validator, Hl7.Fhir.Model.Resource patched)
    {
        validator.EnsureValid(patched);
        return patched;
    }

    // RFC 5789 §2.2: a patch format the server does not take is 415. FHIRPath Patch and XML Patch are not offered.
    private static async Task<JsonPatch> ReadPatchAsync(HttpRequest request, CancellationToken ct)
    {
        var contentType = request.ContentType;
        var isJsonPatch = MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && string.Equals(parsed.MediaType.Value, JsonPatch.MediaType, StringComparison.OrdinalIgnoreCase);
        if (!isJsonPatch)
        {
            throw new NotSupportedByServerException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{contentType ?? "(none)"}' is not supported for PATCH: send a JSON Patch document (RFC 6902) as {JsonPatch.MediaType}.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return JsonPatch.Parse(buffer.ToArray());
    }
}
