using Gateway.Fhir.Errors;
using Microsoft.Net.Http.Headers;

namespace Gateway.Api.Fhir;

/// <summary>Response format negotiation: <c>_format</c> wins over <c>Accept</c>; JSON when neither says (FHIR R4 http.html#mime-type).</summary>
public sealed record FhirFormat(bool IsXml, bool Pretty)
{
    public const string JsonMediaType = "application/fhir+json";
    public const string XmlMediaType = "application/fhir+xml";

    public string MediaType => IsXml ? XmlMediaType : JsonMediaType;

    public static FhirFormat Json { get; } = new(false, false);

    public static FhirFormat Negotiate(HttpRequest request)
    {
        var pretty = string.Equals(request.Query["_pretty"], "true", StringComparison.OrdinalIgnoreCase);
        var format = request.Query["_format"].ToString();
        if (format.Length > 0)
        {
            return Parse(format) is { } isXml
                ? new FhirFormat(isXml, pretty)
                : throw new NotSupportedByServerException(406, $"_format '{format}' is not supported: use json, xml, {JsonMediaType} or {XmlMediaType}.");
        }

        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return new FhirFormat(false, pretty);
        }

        foreach (var mediaType in accept.OrderByDescending(a => a.Quality ?? 1))
        {
            if (mediaType.MediaType.Value is "*/*" or "application/*")
            {
                return new FhirFormat(false, pretty);
            }

            if (Parse(mediaType.MediaType.Value ?? "") is { } isXml)
            {
                return new FhirFormat(isXml, pretty);
            }
        }

        throw new NotSupportedByServerException(406,
            $"None of the media types in Accept ({request.Headers.Accept}) can be produced: use {JsonMediaType} or {XmlMediaType}.");
    }

    /// <summary>True for XML, false for JSON, null for anything else. Parameters such as charset or fhirVersion are ignored.</summary>
    public static bool? Parse(string mediaType)
    {
        var value = MediaTypeHeaderValue.TryParse(mediaType, out var parsed) ? parsed.MediaType.Value ?? mediaType : mediaType;
        return value.ToLowerInvariant() switch
        {
            "json" or "application/json" or JsonMediaType or "application/json+fhir" => false,
            "xml" or "text/xml" or "application/xml" or XmlMediaType or "application/xml+fhir" => true,
            _ => null,
        };
    }
}
