using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Diagnostics;

namespace Gateway.Api.Fhir;

/// <summary>
/// Routing's own bodiless answers under /fhir and /records (no such route: 404; a route without
/// that method: 405; no token: 401) become OperationOutcomes too, so a client never gets an empty error.
/// </summary>
public static class FhirStatusCodePages
{
    public static async Task Write(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var records = http.Request.Path.StartsWithSegments("/records");
        if (!records && !http.Request.Path.StartsWithSegments("/fhir"))
        {
            return;
        }

        var (code, diagnostics) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => (OperationOutcome.IssueType.NotFound, $"No {(records ? "record API endpoint" : "FHIR interaction")} is at {http.Request.Path}."),
            StatusCodes.Status401Unauthorized => (OperationOutcome.IssueType.Login, Smart.BearerFailure.Of(http) ?? (records
                ? "A valid bearer access token with the scope gateway/records.write is required: get one from the token endpoint named in /fhir/.well-known/smart-configuration."
                : "A valid bearer access token is required: get one from the token endpoint named in /fhir/.well-known/smart-configuration.")),
            StatusCodes.Status405MethodNotAllowed => (OperationOutcome.IssueType.NotSupported, $"{http.Request.Method} is not supported on {http.Request.Path}."),
            var status => (OperationOutcome.IssueType.Processing, $"The request failed with HTTP status {status}."),
        };
        try
        {
            http.Items[nameof(FhirFormat)] = FhirFormat.Negotiate(http.Request);
        }
        catch (NotSupportedByServerException)
        {
            http.Items[nameof(FhirFormat)] = FhirFormat.Json;
        }

        await FhirResult.Outcome(http.Response.StatusCode, [FhirException.Issue(code, diagnostics)]).ExecuteAsync(http);
    }
}
