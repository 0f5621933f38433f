using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir;

/// <summary>Checks of the URL and headers every interaction shares.</summary>
public static partial class FhirRequest
{
    /// <summary>FHIR R4 http.html: an unknown or unsupported type is 404 Not Found ("resource type not supported").</summary>
    public static string SupportedType(string type)
    {
        if (!SupportedResources.IsSupported(type))
        {
            throw new ResourceNotFoundException(SupportedResources.IsFhirType(type)
                ? $"This server does not serve {type} resources; see /fhir/metadata for the types it does."
                : $"'{type}' is not a FHIR R4 resource type.");
        }

        return type;
    }

    /// <summary>The guide's conformance resources are served read-only (docs/adr/0004): a write is 405.</summary>
    public static string WritableType(string type)
    {
        SupportedType(type);
        return GatewayGuide.IsComputed(type)
            ? throw new NotSupportedByServerException(StatusCodes.Status405MethodNotAllowed,
                $"{type} resources are read-only here: the gateway computes them (Measure/$evaluate-measure, and the monthly reports).")
            : GatewayGuide.IsReadOnly(type)
            ? throw new NotSupportedByServerException(StatusCodes.Status405MethodNotAllowed,
                $"{type} resources are read-only here: they come from the implementation guide in profiles/ (or, for the CapabilityStatement, from what the server does), loaded at start.")
            : type;
    }

    /// <summary>FHIR R4 datatypes.html#id: 1 to 64 of [A-Za-z0-9-.].</summary>
    public static string ValidId(string id) => ResourceId.IsValid(id)
        ? id
        : throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
            $"'{id}' is not a valid resource id: 1 to 64 letters, digits, '-' or '.'.");

    /// <summary>The version in <c>If-Match: W/"3"</c> (or <c>"3"</c>), null without the header.</summary>
    public static int? IfMatchVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (header.Length == 0)
        {
            return null;
        }

        return ResourceId.TryParseVersionTag(header, out var version)
            ? version
            : throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
                $"If-Match '{header}' is not a version tag such as W/\"3\".");
    }

    /// <summary>The FHIR base URL as the client reached it, e.g. http://127.0.0.1:8080/fhir.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir";

    public static string VersionUrl(HttpRequest request, string type, string id, int version) =>
        $"{BaseUrl(request)}/{type}/{id}/_history/{version}";
}
