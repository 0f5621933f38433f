using System.Text;
using Gateway.Api.Fhir;
using Gateway.Api.Smart;
using Gateway.Fhir.Records;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Records;

/// <summary>
/// <c>POST /records</c>: one JSON record, its format named in it. 200 with what it produced (or
/// "unchanged" for a replay); a rejected record is 422 with an OperationOutcome naming each field,
/// and is kept with its reasons at <c>GET /records/{id}</c>.
/// </summary>
public static class PostRecord
{
    public static async Task<IResult> Handle(HttpRequest request, RecordProcessor processor, IOptions<RecordLimits> limits, CancellationToken ct)
    {
        RecordBodyLimit.Set(request, limits.Value.MaxRecordBytes);
        using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
        string json;
        try
        {
            json = await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            return FhirResult.Outcome(StatusCodes.Status400BadRequest, [Gateway.Fhir.Errors.FhirException.Issue(Hl7.Fhir.Model.OperationOutcome.IssueType.Invalid, "The record is not UTF-8 text; send it as UTF-8 JSON.")]);
        }

        var report = await processor.ReceiveJsonAsync(request.HttpContext.RequiredCaller(), json, "api", ct);
        return Answer(report);
    }

    public static IResult Answer(RecordReport report) => report.RefusedStatus is { } refused
        ? FhirResult.Of(RecordIssues.ToOutcome(report.Issues, refused == StatusCodes.Status413PayloadTooLarge), refused)
        : report.Outcome == RecordReport.Rejected
        ? FhirResult.Of(RecordIssues.ToOutcome(report.Issues), StatusCodes.Status422UnprocessableEntity).WithLocation($"/records/{report.RecordId}")
        : Results.Json(RecordJson.Report(report), RecordJson.Options, statusCode: StatusCodes.Status200OK);
}
