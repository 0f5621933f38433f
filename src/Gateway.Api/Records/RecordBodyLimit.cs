using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Api.Records;

/// <summary>
/// The record API's own body limits (<c>Gateway:Records</c>) instead of the FHIR endpoint's:
/// a body announced bigger is 413 before a byte is read; one that only turns out bigger (chunked)
/// is cut off by Kestrel, which the exception handler answers as 413 too.
/// </summary>
public static class RecordBodyLimit
{
    public static void Set(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new FhirException(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooLong,
                $"The body is {request.ContentLength} bytes; this endpoint takes at most {maxBytes}.");
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes;
        }
    }
}
