using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.LoadDriver;

/// <summary>What one batch upload did, end to end: from the first byte sent to the report's last byte received.</summary>
public sealed record BatchResult(long Items, TimeSpan Elapsed, int Accepted, int Unchanged, int Rejected, double? GatewayCpuSeconds, double? PostgresCpuSeconds, string LoadBefore, string LoadAfter)
{
    public double PerSecond => Items / Elapsed.TotalSeconds;

    public bool EveryOneTaken => Accepted + Unchanged == Items;

    /// <summary>Prints the result as a one-row markdown table; <paramref name="unit"/> says what an item is ("row", "record").</summary>
    public void Print(string unit, string residentMemory)
    {
        string PerItem(double? seconds) => seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:F1} s ({s * 1000 / Items:F2} ms/{unit})") : "n/a";
        Console.WriteLine($"| {unit}s | seconds | {unit}s per second | accepted | unchanged | rejected | gateway CPU | PostgreSQL CPU | gateway RSS MB | load before | load after |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Items} | {Elapsed.TotalSeconds:F1} | {PerSecond:F0} | {Accepted} | {Unchanged} | {Rejected} | {PerItem(GatewayCpuSeconds)} | {PerItem(PostgresCpuSeconds)} | {residentMemory} | {LoadBefore} | {LoadAfter} |"));
    }
}

/// <summary>
/// Sends one batch to <c>/records/batch</c> and reads the streamed report to its summary: the
/// gateway answers only when every record is applied or rejected, so the end of the answer is the
/// end of the work. Prints the first few rejections with their reasons.
/// </summary>
public static class BatchUpload
{
    /// <param name="read">Reads the whole report (a caller may print progress as it streams in).</param>
    public static async Task<BatchResult> SendAsync(HttpClient http, HttpRequestMessage request, long items, ProcessCpu cpu,
        Func<HttpResponseMessage, Stopwatch, CancellationToken, Task<byte[]>> read, CancellationToken ct)
    {
        var loadBefore = LoadAverage.Now();
        var before = cpu.Read();
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await read(response, clock, ct);
        var elapsed = clock.Elapsed;
        var after = cpu.Read();
        var loadAfter = LoadAverage.Now();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The batch answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 2000)])}");
        }

        using var report = JsonDocument.Parse(body);
        var records = report.RootElement.GetProperty("records").EnumerateArray().Select((record, index) => (record, index));
        foreach (var (rejected, index) in records.Where(r => r.record.GetProperty("outcome").GetString() == "rejected").Take(3))
        {
            // A CSV report names the file's row; a JSON batch's records are in the array's order.
            var place = rejected.TryGetProperty("row", out var row) ? $"row {row}" : $"record {index + 1}";
            await Console.Error.WriteLineAsync($"rejected {place}: {rejected.GetProperty("issues")}");
        }

        var summary = report.RootElement.GetProperty("summary");
        return new BatchResult(items, elapsed, summary.GetProperty("accepted").GetInt32(), summary.GetProperty("unchanged").GetInt32(), summary.GetProperty("rejected").GetInt32(),
            (after.Gateway - before.Gateway).TotalSeconds, (after.Postgres - before.Postgres).TotalSeconds, loadBefore, loadAfter);
    }
}
