using System.Net;
using System.Text.Json;

namespace Gateway.Cli.Send;

/// <summary>
/// A gateway answer for a person: the status, then the body pretty-printed, with an
/// OperationOutcome's issues as lines (severity, location, text), a transaction's entries as
/// their statuses and locations, and a record report as its outcome, produced resources and reasons.
/// </summary>
public static class ResponsePrinter
{
    // Relaxed: a person reads this, so "+01:00" stays "+01:00" rather than "\u002B01:00".
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string StatusLine(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var location = response.Headers.Location is { } l ? $"  Location: {l}" : "";
        return $"HTTP {(int)response.StatusCode} {Reason(response.StatusCode)}{location}";
    }

    public static async Task WriteBodyAsync(TextWriter output, string body)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (body.Length == 0)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await output.WriteLineAsync(body);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var resourceType = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resourceType", out var t) ? t.GetString() : null;
            if (resourceType == "OperationOutcome")
            {
                foreach (var line in OutcomeLines(root))
                {
                    await output.WriteLineAsync(line);
                }

                return;
            }

            if (resourceType == "Bundle" && root.TryGetProperty("type", out var type) && type.GetString() is "transaction-response" or "batch-response")
            {
                foreach (var line in BundleResponseLines(root))
                {
                    await output.WriteLineAsync(line);
                }

                return;
            }

            if (resourceType is null && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("outcome", out _))
            {
                await output.WriteLineAsync(RecordLine(root));
                return;
            }

            await output.WriteLineAsync(JsonSerializer.Serialize(root, Indented));
        }
    }

    /// <summary>An OperationOutcome's issues: <c>error  Patient.identifier[0].value  The NHS number …</c>.</summary>
    public static IEnumerable<string> OutcomeLines(JsonElement outcome)
    {
        if (!outcome.TryGetProperty("issue", out var issues))
        {
            yield break;
        }

        foreach (var issue in issues.EnumerateArray())
        {
            var severity = Text(issue, "severity") ?? "error";
            var where = First(issue, "expression") ?? First(issue, "location") ?? "";
            var text = Text(issue, "diagnostics")
                ?? (issue.TryGetProperty("details", out var details) ? Text(details, "text") : null)
                ?? Text(issue, "code") ?? "";
            // The record API's diagnostics start with their location already ("$.status: …"): print it once.
            if (where.Length > 0 && text.StartsWith(where + ": ", StringComparison.Ordinal))
            {
                text = text[(where.Length + 2)..];
            }

            yield return $"  {severity,-11} {(where.Length == 0 ? "" : where + "  ")}{text}";
        }
    }

    /// <summary>One record's report: <c>rejected  row 6 (WOR-2026-0096)  record 12</c> and its issues below.</summary>
    public static string RecordLine(JsonElement report)
    {
        var lines = new List<string>();
        var row = report.TryGetProperty("row", out var r) && r.ValueKind == JsonValueKind.Number ? $"row {r.GetInt32()} " : "";
        var key = Text(report, "recordKey");
        lines.Add($"  {Text(report, "outcome"),-10} {row}{(key is null ? "" : $"({key}) ")}record {Text(report, "recordId")}".TrimEnd());
        if (report.TryGetProperty("produced", out var produced) && produced.ValueKind == JsonValueKind.Array && produced.GetArrayLength() > 0)
        {
            lines.Add($"             produced {string.Join(", ", produced.EnumerateArray().Select(p => p.GetString()))}");
        }

        if (report.TryGetProperty("issues", out var issues) && issues.ValueKind == JsonValueKind.Array)
        {
            lines.AddRange(issues.EnumerateArray().Select(i => $"             {Text(i, "code")} at {Text(i, "location")}: {Text(i, "message")}"));
        }

        if (Text(report, "note") is { Length: > 0 } note)
        {
            lines.Add($"             {note}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static IEnumerable<string> BundleResponseLines(JsonElement bundle)
    {
        if (!bundle.TryGetProperty("entry", out var entries))
        {
            yield break;
        }

        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.TryGetProperty("response", out var response))
            {
                yield return $"  entry {index}: {Text(response, "status")}  {Text(response, "location") ?? Text(entry, "fullUrl") ?? ""}".TrimEnd();
                if (response.TryGetProperty("outcome", out var outcome))
                {
                    foreach (var line in OutcomeLines(outcome))
                    {
                        yield return "  " + line;
                    }
                }
            }

            index++;
        }
    }

    private static string Reason(HttpStatusCode code) => code switch
    {
        HttpStatusCode.UnprocessableEntity => "Unprocessable Entity",
        _ => System.Text.RegularExpressions.Regex.Replace(code.ToString(), "(?<=[a-z])(?=[A-Z])", " "),
    };

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()
            : null;

    private static string? First(JsonElement element, string name) =>
        element.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0 ? values[0].GetString() : null;
}
