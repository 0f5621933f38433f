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
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The file to send" };
        var client = new Option<string?>("--client") { Description = "The client to send as (default: the sandbox's demo client for the file's kind)" };
        var keys = CommonOptions.Keys();
        var scope = new Option<string?>("--scope") { Description = "Scopes to ask for (default: what the file needs)" };
        var gateway = CommonOptions.Gateway();
        var command = new Command("send", "Send a FHIR resource or Bundle, a partner record, or a wor-export CSV to the gateway") { file, client, keys, scope, gateway };
        command.SetAction((parse, ct) => GatewayCli.Guarded(console, async () =>
        {
            var input = InputFile.Read(parse.GetValue(file)!);
            var plan = SendPlan.For(input);
            using var connection = GatewayConnection.To(parse.GetValue(gateway));
            connection.Authorize(await connection.TokenAsync(parse.GetValue(client) ?? plan.DemoClient, CommonOptions.KeysFile(parse.GetValue(keys)), parse.GetValue(scope) ?? plan.Scope, ct));
            return await SendAsync(console, connection, input, plan, ct);
        }));
        return command;
    }

    private static async Task<int> SendAsync(CliConsole console, GatewayConnection connection, InputFile input, SendPlan plan, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, plan.Path) { Content = new ByteArrayContent(input.Bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(plan.ContentType) { CharSet = "utf-8" };
        request.Headers.Accept.ParseAdd(plan.Path.StartsWith("fhir", StringComparison.Ordinal) ? "application/fhir+json" : "application/json");
        using var response = await connection.SendAsync(request, ct, HttpCompletionOption.ResponseHeadersRead);
        await console.Out.WriteLineAsync(ResponsePrinter.StatusLine(response));
        if (plan.IsBatch && response.IsSuccessStatusCode)
        {
            return await BatchAsync(console, input, response, ct);
        }

        await ResponsePrinter.WriteBodyAsync(console.Out, await response.Content.ReadAsStringAsync(ct));
        return response.IsSuccessStatusCode ? ExitCodes.Ok : ExitCodes.Refused;
    }

    private static async Task<int> BatchAsync(CliConsole console, InputFile input, HttpResponseMessage response, CancellationToken ct)
    {
        var progress = new ProgressBar(console.Error, console.ShowProgress, CountRecords(input), "records");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var text = await BatchReportReader.ReadAsync(body, async record =>
        {
            await console.Out.WriteLineAsync(ResponsePrinter.RecordLine(record));
            progress.Advance();
        }, ct);
        progress.Finish();

        using var report = JsonDocument.Parse(text);
        var summary = report.RootElement.GetProperty("summary");
        var rejected = summary.TryGetProperty("rejected", out var r) ? r.GetInt32() : 0;
        await console.Out.WriteLineAsync(
            $"summary: {string.Join(", ", summary.EnumerateObject().Select(p => $"{p.Value.GetInt32()} {p.Name}"))}");
        return rejected == 0 ? ExitCodes.Ok : ExitCodes.Refused;
    }

    // For the bar's total (a file it cannot count just gets a bar without one): the same reader the gateway uses counts the rows; a JSON array its items.
    private static int? CountRecords(InputFile input)
    {
        try
        {
            if (input.Kind == FileKind.WorExportCsv)
            {
                using var reader = WorExportCsvReader.Open(new MemoryStream(input.Bytes, writable: false));
                return reader.ReadHeader().Count == 0 ? reader.ReadRows().Count() : null;
            }

            using var array = JsonDocument.Parse(input.Text);
            return array.RootElement.GetArrayLength();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }
}
