using System.Globalization;
using System.Text.Json;
using Gateway.Api.Smart;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Export;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir.Export;

/// <summary>
/// The status URL of an export (Bulk Data Access IG, export.html#bulk-data-status-request): 202
/// with X-Progress and Retry-After while it runs, 200 with the manifest once complete, 500 with an
/// OperationOutcome when it failed; DELETE cancels it and deletes its files. Another client's
/// export, or an expired one, is 404.
/// </summary>
public static class ExportStatus
{
    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web);

    public static string Url(HttpRequest request, Guid exportId) => $"{FhirRequest.BaseUrl(request)}/_operations/export/{exportId}";

    public static async Task<IResult> Handle(Guid id, HttpRequest request, ExportJobs exports, ExportOptions options, CancellationToken ct)
    {
        var caller = ExportKickOff.Evaluator(request);
        var export = await exports.FindAsync(id, caller.ClientId, ct) ?? throw NotFound(id);
        var response = request.HttpContext.Response;
        switch (export.Status)
        {
            case ExportJob.Completed:
                response.Headers.Expires = export.ExpiresAt!.Value.ToString("R", CultureInfo.InvariantCulture);
                var files = await exports.FilesAsync(id, ct);
                return Results.Json(Manifest(request, export, files), ManifestJson, "application/json", StatusCodes.Status200OK);
            case ExportJob.Failed:
                return FhirResult.Outcome(StatusCodes.Status500InternalServerError,
                    [FhirException.Issue(OperationOutcome.IssueType.Exception, $"Export {id} failed: {export.Error}")]);
            default:
                response.Headers["X-Progress"] = export.Progress ?? export.Status;
                response.Headers.RetryAfter = ((int)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return Results.StatusCode(StatusCodes.Status202Accepted);
        }
    }

    public static async Task<IResult> Cancel(Guid id, HttpRequest request, ExportJobs exports, CancellationToken ct)
    {
        var caller = ExportKickOff.Evaluator(request);
        if (!await exports.DeleteAsync(id, caller.ClientId, ct))
        {
            throw NotFound(id);
        }

        return FhirResult.Outcome(StatusCodes.Status202Accepted, [new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Information,
            Code = OperationOutcome.IssueType.Informational,
            Diagnostics = $"Export {id} is cancelled and its files are deleted.",
        }]);
    }

    internal static ResourceNotFoundException NotFound(Guid id) =>
        new($"Export {id} is not known to this server: it was never asked for by this client, was cancelled, or its files expired.");

    // Bulk Data IG, the complete status's JSON body (not a FHIR resource).
    private static ExportManifest Manifest(HttpRequest request, ExportJob export, IReadOnlyList<ExportFile> files) => new(
        export.TransactionTime!.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), // all the precision stored: it is the next _since,
        export.RequestUrl,
        RequiresAccessToken: true,
        files.Select(f => new ExportManifestFile(f.ResourceType, ExportDownload.Url(request, export.Id, f.Number), f.Count)).ToList(),
        []);
}

/// <summary>The manifest's JSON (Bulk Data IG): camelCase members, as the IG names them.</summary>
public sealed record ExportManifest(string TransactionTime, string Request, bool RequiresAccessToken, IReadOnlyList<ExportManifestFile> Output, IReadOnlyList<ExportManifestFile> Error);

public sealed record ExportManifestFile(string Type, string Url, int Count);
