using Gateway.Fhir.Errors;
using Gateway.Fhir.Validation;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir;

/// <summary>
/// Reads the resource in a request body: 415 for a media type that is not FHIR JSON or XML, 400
/// with every parse and base-validation problem for content that is not a valid resource.
/// </summary>
public static class FhirRequestBody
{
    public static async Task<Resource> ReadAsync(HttpRequest request, string expectedType, CancellationToken ct)
    {
        var parsed = Parse(await ReadBytesAsync(request, ct));
        if (!parsed.Succeeded)
        {
            throw Refusal(parsed.Issues);
        }

        var resource = parsed.Resource!;
        if (resource.TypeName != expectedType)
        {
            throw new InvalidResourceException([FhirException.Issue(OperationOutcome.IssueType.Invalid,
                $"The body is a {resource.TypeName}, but the URL is for {expectedType}.", resource.TypeName)]);
        }

        return resource;
    }

    /// <summary>The body as sent, and whether it is XML; 415 for a media type that is not FHIR JSON or XML.</summary>
    public static async Task<RawBody> ReadBytesAsync(HttpRequest request, CancellationToken ct)
    {
        var contentType = request.ContentType;
        var isXml = contentType is null ? null : FhirFormat.Parse(contentType);
        if (isXml is null)
        {
            throw new NotSupportedByServerException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{contentType ?? "(none)"}' is not supported: send {FhirFormat.JsonMediaType} or {FhirFormat.XmlMediaType}.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var options = request.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<FhirOptions>>().Value;
        return new RawBody(buffer.ToArray(), isXml.Value, new ParseLimits(options.MaxRepeats, options.MaxElements));
    }

    public static ParseResult Parse(RawBody body) => body.IsXml ? ResourceParser.ParseXml(body.Bytes, body.Limits) : ResourceParser.ParseJson(body.Bytes, body.Limits);

    /// <summary>400 for content that is not a valid resource; 413 for one that holds more than this server takes (<see cref="ParseLimits"/>).</summary>
    public static InvalidResourceException Refusal(IReadOnlyList<OperationOutcome.IssueComponent> issues) =>
        new(issues, issues.Any(i => i.Code == OperationOutcome.IssueType.TooLong) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);

    public sealed record RawBody(byte[] Bytes, bool IsXml, ParseLimits Limits);

    /// <summary>The body parsed, with its problems as values: $validate reports them rather than refusing the request.</summary>
    public static async Task<ParseResult> ParseAsync(HttpRequest request, CancellationToken ct) => Parse(await ReadBytesAsync(request, ct));
}
