using System.Text.Json;
using Gateway.Api.Fhir;
using Gateway.Api.Smart;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Records;
using Gateway.Mapping.WorExport;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Records;

/// <summary>
/// <c>POST /records/batch?format=…</c>: a whole wor-export/v1 file (<c>text/csv</c>) or a JSON array
/// of records. Answers 200 with a report per record (accepted, unchanged, rejected with reasons),
/// written as each record is processed, and a summary at the end. A file refused whole (a wrong
/// header) is 422 before anything is stored.
/// </summary>
public static class PostRecordBatch
{
    public static async Task<IResult> Handle(HttpRequest request, string? format, RecordProcessor processor, Gateway.Fhir.ServiceDirectory.DirectoryFiles directory, IOptions<RecordLimits> limits, CancellationToken ct)
    {
        RecordBodyLimit.Set(request, limits.Value.MaxBatchBytes);
        await ReadWholeBodyAsync(request, limits.Value.MaxBatchBytes, ct);
        var caller = request.HttpContext.RequiredCaller();
        IAsyncEnumerable<RecordReport> reports = format switch
        {
            WorExportCsvReader.Format => processor.ReceiveCsvAsync(caller, request.Body, "batch", ct),
            // A directory source (SPEC §11): the partner's whole offer, reported per entry.
            _ when format is not null && Gateway.Fhir.ServiceDirectory.DirectoryFiles.Formats.Contains(format) => directory.ReceiveAsync(caller, format, request.Body, ct),
            _ when format is not null && RecordMappers.SentBy.ContainsKey(format) => processor.ReceiveJsonManyAsync(caller, await JsonBatchArray.ReadAsync(request.Body, ct), "batch", ct),
            _ => throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required,
                $"Say the records' format: ?format= one of {string.Join(", ", RecordMappers.SentBy.Keys.Concat(Gateway.Fhir.ServiceDirectory.DirectoryFiles.Formats))}."),
        };

        var enumerator = reports.GetAsyncEnumerator(ct);
        bool first;
        try
        {
            // The first record, or the file's refusal, before the answer starts.
            first = await enumerator.MoveNextAsync();
        }
        catch (RecordFileException refused)
        {
            await enumerator.DisposeAsync();
            return FhirResult.Of(RecordIssues.ToOutcome(refused.Issues), StatusCodes.Status422UnprocessableEntity);
        }

        return new BatchReport(enumerator, first, format!);
    }

    // The whole body is read before the first report is written, past the first megabyte into a
    // temporary file (memory stays flat with the file's size). The report streams as the records
    // are applied, and a client that sends its whole body before it reads the answer (.NET's
    // HttpClient over HTTP/1.1 does, so the CLI did) stopped reading it: once ~10,000 rows of
    // report filled both sockets' buffers the gateway waited for the client and the client for the
    // gateway, for ever. Reading the body first is what a server that answers an upload must do
    // when the answer can be large.
    private static async Task ReadWholeBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        request.EnableBuffering(bufferThreshold: 1024 * 1024, bufferLimit: limit);
        await request.Body.CopyToAsync(Stream.Null, ct);
        request.Body.Position = 0;
    }

    /// <summary>Streams <c>{"format":…,"records":[…],"summary":{…}}</c> as the records are processed.</summary>
    private sealed class BatchReport(IAsyncEnumerator<RecordReport> reports, bool hasFirst, string format) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var counts = RecordReportJson.EmptySummary();
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = "application/json";
            await using (reports)
            await using (var json = new Utf8JsonWriter(httpContext.Response.BodyWriter))
            {
                json.WriteStartObject();
                json.WriteString("format", format);
                json.WriteStartArray("records");
                for (var more = hasFirst; more;)
                {
                    counts[reports.Current.Outcome]++;
                    JsonSerializer.Serialize(json, RecordJson.Report(reports.Current), RecordJson.Options);
                    // What is written goes out before the gateway waits for the next records, so a long file shows
                    // its progress to the sender as it goes: a chunk's reports come together, and a flush after every
                    // few of them (as before, issue 18) was a socket write each for nothing the sender could see sooner.
                    var next = reports.MoveNextAsync();
                    if (!next.IsCompleted)
                    {
                        await json.FlushAsync(httpContext.RequestAborted);
                        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
                    }

                    more = await next;
                }

                json.WriteEndArray();
                json.WritePropertyName("summary");
                JsonSerializer.Serialize(json, counts, RecordJson.Options);
                json.WriteEndObject();
            }
        }
    }
}
