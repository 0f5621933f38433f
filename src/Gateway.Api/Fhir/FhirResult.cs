using System.Globalization;
using Gateway.Api.Smart;
using Gateway.Fhir.Access;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Api.Fhir;

/// <summary>
/// Every FHIR response: the body in the negotiated format through Firely's serializers, and the
/// headers FHIR R4 http.html asks for (ETag, Last-Modified, Location), built fluently like
/// fhir-server's FhirResult.
/// </summary>
public sealed class FhirResult : IResult
{
    private readonly Resource? _body;
    private readonly StoredResource? _stored;
    private readonly string? _json;
    private readonly int _statusCode;
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);
    private bool _honourPrefer;
    private Func<SerializationFilter>? _filter;

    private FhirResult(int statusCode, Resource? body, StoredResource? stored = null, string? json = null)
    {
        _statusCode = statusCode;
        _body = body;
        _stored = stored;
        _json = json;
    }

    public static FhirResult Resource(StoredResource stored, int statusCode = StatusCodes.Status200OK) =>
        new FhirResult(statusCode, null, stored).WithVersionHeaders(stored);

    public static FhirResult Of(Resource body, int statusCode = StatusCodes.Status200OK) => new(statusCode, body);

    /// <param name="json">The body as Firely's compact serializer wrote it after its last change, if it was; sent as it is when nothing would change it.</param>
    public static FhirResult Of(Resource body, string? json) => new(StatusCodes.Status200OK, body, json: json);

    public static FhirResult NoContent() => new(StatusCodes.Status204NoContent, null);

    public static FhirResult Outcome(int statusCode, IEnumerable<OperationOutcome.IssueComponent> issues) =>
        new(statusCode, new OperationOutcome { Issue = issues.ToList() });

    public FhirResult WithVersionHeaders(StoredResource stored)
    {
        _headers["ETag"] = stored.VersionTag;
        _headers["Last-Modified"] = stored.LastUpdated.ToString("R", CultureInfo.InvariantCulture);
        return this;
    }

    /// <summary>A 410 still tells which version deleted the resource.</summary>
    public FhirResult WithHeadersOf(Gateway.Fhir.Errors.ResourceGoneException gone)
    {
        _headers["ETag"] = $"W/\"{gone.DeletedVersion}\"";
        _headers["Last-Modified"] = gone.DeletedAt.ToString("R", CultureInfo.InvariantCulture);
        return this;
    }

    public FhirResult WithLocation(string location)
    {
        _headers["Location"] = location;
        return this;
    }

    /// <summary>Honours <c>Prefer: return=minimal | representation | OperationOutcome</c> (FHIR R4 http.html#ops), for create and update.</summary>
    public FhirResult HonouringPrefer()
    {
        _honourPrefer = true;
        return this;
    }

    public FhirResult WithFilter(Func<SerializationFilter>? filter)
    {
        _filter = filter;
        return this;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = _statusCode;
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }

        if (!_honourPrefer && _filter is null && Format(httpContext) is { IsXml: false, Pretty: false } compact && AsItIs(httpContext.Caller()))
        {
            // A read, or an answer serialized already: the JSON as it is, without the POCO round trip.
            response.ContentType = compact.MediaType + "; charset=utf-8";
            if (_stored?.Utf8Json is { } utf8)
            {
                StoredJson.Write(response.BodyWriter, utf8);
            }
            else
            {
                StoredJson.Write(response.BodyWriter, _json!);
            }

            await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
            return;
        }

        var body = _body ?? _stored?.Resource;
        body = _honourPrefer ? ApplyPrefer(httpContext.Request, body) : body;
        if (body is null)
        {
            return;
        }

        // Every resource a partner receives passes here, so data minimisation cannot be forgotten.
        body = DataMinimisation.ForPartner(body, httpContext.Caller());

        var negotiated = Format(httpContext);
        response.ContentType = negotiated.MediaType + "; charset=utf-8";
        var bytes = negotiated.IsXml
            ? FhirSerialization.ToXmlBytes(body, negotiated.Pretty, _filter)
            : FhirSerialization.ToJsonBytes(body, negotiated.Pretty, _filter);
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }

    // Whether the stored JSON, else the answer serialized already, can go out to the caller as it is.
    private bool AsItIs(CallingPartner? caller) =>
        _stored?.Utf8Json is not null ? !DataMinimisation.MayChange(_stored, caller)
        : _json is not null && !DataMinimisation.MayChange(_json, caller);

    internal static FhirFormat Format(HttpContext httpContext) =>
        httpContext.Items[nameof(FhirFormat)] as FhirFormat ?? FhirFormat.Negotiate(httpContext.Request);

    private Resource? ApplyPrefer(HttpRequest request, Resource? body)
    {
        var prefer = request.Headers["Prefer"].ToString();
        if (prefer.Contains("return=minimal", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (prefer.Contains("return=OperationOutcome", StringComparison.OrdinalIgnoreCase))
        {
            var what = body is null ? "The interaction" : $"{body.TypeName}/{body.Id} version {body.Meta?.VersionId}";
            return new OperationOutcome
            {
                Issue =
                [
                    new()
                    {
                        Severity = OperationOutcome.IssueSeverity.Information,
                        Code = OperationOutcome.IssueType.Informational,
                        Diagnostics = $"{what} {(_statusCode == StatusCodes.Status201Created ? "was created" : "was stored")}.",
                    },
                ],
            };
        }

        return body;
    }
}
