using Gateway.Fhir.Export;

namespace Gateway.Api.Fhir.Export;

/// <summary>
/// An export's NDJSON file (Bulk Data IG: requiresAccessToken), streamed from the database a chunk
/// at a time; only for the client that asked for the export, with its token, until the file expires.
/// </summary>
public static class ExportDownload
{
    public const string MediaType = "application/fhir+ndjson";

    public static string Url(HttpRequest request, Guid exportId, int fileNumber) => $"{ExportStatus.Url(request, exportId)}/files/{fileNumber}";

    public static async Task<IResult> Handle(Guid id, int file, HttpRequest request, ExportJobs exports, CancellationToken ct)
    {
        var caller = ExportKickOff.Evaluator(request);
        var response = request.HttpContext.Response;
        var found = await exports.CopyFileAsync(id, file, caller.ClientId, () =>
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = MediaType;
            return System.Threading.Tasks.Task.FromResult(response.Body);
        }, ct);
        return found ? Results.Empty : throw ExportStatus.NotFound(id);
    }
}
