using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Mapping.WorExport;

namespace Gateway.Cli.Send;

/// <summary>
/// <c>gateway send &lt;file&gt;</c>: tells what the file is (FHIR resource or Bundle, partner record,
/// array of records, wor-export CSV), gets a token for the client that sends such files, posts it
/// where it goes, and prints the answer. Exit 0 when accepted, 1 when refused (4xx/5xx, or any
/// record of a batch rejected), 2 when it could not be sent.
/// </summary>
public static class SendCommand
{
    private const int ListEveryRecordUpTo = 100;

    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The file to send" };
        var client = new Option<string?>("--client") { Description = "The client to send as (default: the sandbox's demo client for the file's kind)" };
        var keys = CommonOptions.Keys();
        var scope = new Option<string?>("--scope") { Description = "Scopes to ask for (default: what the file needs)" };
        var gateway = CommonOptions.Gateway();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "For a batch: print only the records not accepted, then the summary" };
        var at = new Option<DateTimeOffset?>("--at")
        {
            Description = "Send a JSON record as if its change happened at this instant (ISO 8601): sets statusChangedAt (housing-case) or raisedAt (housing-referral) and derives a new messageId",
        };
        var command = new Command("send", "Send a FHIR resource or Bundle, a partner record, or a wor-export CSV to the gateway") { file, client, keys, scope, gateway, quiet, at };
        command.SetAction((parse, ct) => GatewayCli.Guarded(console, async () =>
        {
            var input = InputFile.Read(parse.GetValue(file)!);
            if (parse.GetValue(at) is { } instant)
            {
                input = RecordRedating.At(input, instant);
            }

            var plan = SendPlan.For(input);
            using var connection = GatewayConnection.To(parse.GetValue(gateway));
            connection.Authorize(await connection.TokenAsync(parse.GetValue(client) ?? plan.DemoClient, CommonOptions.KeysFile(parse.GetValue(keys)), parse.GetValue(scope) ?? plan.Scope, ct));
            return await SendAsync(console, connection, input, plan, parse.GetValue(quiet), ct);
        }));
        return command;
    }

    private static async Task<int> SendAsync(CliConsole console, GatewayConnection connection, InputFile input, SendPlan plan, bool quiet, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, plan.Path) { Content = new ByteArrayContent(input.Bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(plan.ContentType) { CharSet = "utf-8" };
        request.Headers.Accept.ParseAdd(plan.Path.StartsWith("fhir", StringComparison.Ordinal) ? "application/fhir+json" : "application/json");
        using var response = await connection.SendAsync(request, ct, HttpCompletionOption.ResponseHeadersRead);
        await console.Out.WriteLineAsync(ResponsePrinter.StatusLine(response));
        if (plan.IsBatch && response.IsSuccessStatusCode)
        {
            return await BatchAsync(console, input, response, quiet, ct);
        }

        await ResponsePrinter.WriteBodyAsync(console.Out, await response.Content.ReadAsStringAsync(ct));
        return response.IsSuccessStatusCode ? ExitCodes.Ok : ExitCodes.Refused;
    }

    private static async Task<int> BatchAsync(CliConsole console, InputFile input, HttpResponseMessage response, bool quiet, CancellationToken ct)
    {
        // Without a bar to draw, the count only tells whether the file is small enough to list every record:
        // a 100,000-row file was read and parsed whole a second time for that (issue 18).
        var total = CountRecords(input, console.ShowProgress ? int.MaxValue : ListEveryRecordUpTo + 1);
        var progress = new ProgressBar(console.Error, console.ShowProgress, total, "records");
        // A big file (a municipality's yearly export) lists only its rejected records, as --quiet
        // does: a line for each of 100,000 accepted rows is no report anyone reads.
        var listAll = !quiet && total is null or <= ListEveryRecordUpTo;
        var left = 0;
        var position = 0;
        var rejectedRows = new List<string>();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var text = await BatchReportReader.ReadAsync(body, async record =>
        {
            var outcome = record.TryGetProperty("outcome", out var o) ? o.GetString() : null;
            position++;
            if (outcome == "rejected")
            {
                // A CSV row by its row number; a JSON record by its place in the array (reports come in the batch's order).
                rejectedRows.Add(record.TryGetProperty("row", out var row) && row.ValueKind == JsonValueKind.Number ? $"row {row.GetInt32()}" : $"record {position}");
            }

            if (!listAll && outcome is "accepted" or "unchanged")
            {
                left++;
            }
            else
            {
                await console.Out.WriteLineAsync(ResponsePrinter.RecordLine(record));
            }

            progress.Advance();
        }, ct);
        progress.Finish();

        using var report = JsonDocument.Parse(text);
        var summary = report.RootElement.GetProperty("summary");
        var rejected = summary.TryGetProperty("rejected", out var r) ? r.GetInt32() : 0;
        await console.Out.WriteLineAsync(
            $"summary: {string.Join(", ", summary.EnumerateObject().Select(p => $"{p.Value.GetInt32()} {p.Name}"))}");
        if (rejectedRows.Count > 0)
        {
            await console.Out.WriteLineAsync($"rejected: {string.Join(", ", rejectedRows.Take(20))}{(rejectedRows.Count > 20 ? $" and {rejectedRows.Count - 20} more" : "")}");
        }

        if (left > 0)
        {
            await console.Out.WriteLineAsync(quiet
                ? $"({left} accepted or unchanged record(s) not listed: --quiet)"
                : $"({left} accepted or unchanged record(s) not listed: the file has more than {ListEveryRecordUpTo}; the gateway's answer has each one's report)");
        }

        return rejected == 0 ? ExitCodes.Ok : ExitCodes.Refused;
    }

    // For the bar's total (a file it cannot count just gets a bar without one): the same reader the gateway uses counts the rows; a JSON array its items.
    // Counting stops at upTo: a file with more records has "at least upTo".
    private static int? CountRecords(InputFile input, int upTo)
    {
        try
        {
            if (input.Kind == FileKind.WorExportCsv)
            {
                using var reader = WorExportCsvReader.Open(new MemoryStream(input.Bytes, writable: false));
                return reader.ReadHeader().Count == 0 ? reader.CountRows(upTo) : null;
            }

            using var array = JsonDocument.Parse(input.Text);
            return Math.Min(array.RootElement.GetArrayLength(), upTo);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }
}
