using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gateway.LoadDriver;

/// <summary>What one wor-export upload did, end to end: from the first byte sent to the summary's last byte received.</summary>
public sealed record WorExportResult(long Rows, TimeSpan Elapsed, int Accepted, int Unchanged, int Rejected, double? GatewayCpuSeconds, double? PostgresCpuSeconds, string LoadBefore, string LoadAfter)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}

/// <summary>
/// Posts a whole wor-export/v1 file to <c>/records/batch</c> as the welfare organisation's client
/// and reads the streamed per-row report to its summary: the gateway answers only when every row is
/// applied or rejected, so the end of the answer is the end of the work. Prints progress as the
/// report streams in, and the first few rejections with their reasons.
/// </summary>
public sealed class WorExportUpload(HttpClient http, Uri gateway, AccessTokens tokens)
{
    public const string WelfareClient = "wor-kampen";
    private const string WelfareScopes = "gateway/records.write";
    private static readonly byte[] RecordMarker = Encoding.UTF8.GetBytes("\"outcome\":");

    public async Task<WorExportResult> RunAsync(byte[] file, long rows, ProcessCpu cpu, CancellationToken ct)
    {
        var token = await tokens.ForAsync(WelfareClient, WelfareScopes, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "records/batch?format=wor-export/v1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new ByteArrayContent(file);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };

        var loadBefore = LoadAverage.Now();
        var before = cpu.Read();
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await ReadWithProgressAsync(response, rows, clock, ct);
        var elapsed = clock.Elapsed;
        var after = cpu.Read();
        var loadAfter = LoadAverage.Now();

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The batch answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 2000)])}");
        }

        using var report = JsonDocument.Parse(body);
        foreach (var rejected in report.RootElement.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("outcome").GetString() == "rejected").Take(3))
        {
            await Console.Error.WriteLineAsync($"rejected row {rejected.GetProperty("row")}: {rejected.GetProperty("issues")}");
        }

        var summary = report.RootElement.GetProperty("summary");
        return new WorExportResult(rows, elapsed, summary.GetProperty("accepted").GetInt32(), summary.GetProperty("unchanged").GetInt32(), summary.GetProperty("rejected").GetInt32(),
            (after.Gateway - before.Gateway).TotalSeconds, (after.Postgres - before.Postgres).TotalSeconds, loadBefore, loadAfter);
    }

    private static async Task<byte[]> ReadWithProgressAsync(HttpResponseMessage response, long rows, Stopwatch clock, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        long seen = 0;
        var nextReport = Math.Max(1, rows / 20);
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            // Count the records in what has arrived so far (a marker split across two reads is counted on the next pass over the whole).
            var before = all.Length;
            all.Write(buffer, 0, read);
            var window = all.GetBuffer().AsSpan((int)Math.Max(0, before - RecordMarker.Length + 1), (int)(all.Length - Math.Max(0, before - RecordMarker.Length + 1)));
            for (var at = window.IndexOf(RecordMarker); at >= 0; at = window.IndexOf(RecordMarker))
            {
                seen++;
                window = window[(at + RecordMarker.Length)..];
            }

            if (seen >= nextReport)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seen} rows reported after {clock.Elapsed.TotalSeconds:F0} s (load {LoadAverage.Now()})"));
                nextReport = (seen / Math.Max(1, rows / 20) + 1) * Math.Max(1, rows / 20);
            }
        }

        return all.ToArray();
    }
}
