using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.LoadDriver;

/// <summary>
/// Posts a whole wor-export/v1 file to <c>/records/batch</c> as the welfare organisation's client
/// and reads the streamed per-row report to its summary: the gateway answers only when every row is
/// applied or rejected, so the end of the answer is the end of the work. Prints progress as the
/// report streams in (<see cref="BatchUpload"/> prints the first few rejections).
/// </summary>
public sealed class WorExportUpload(HttpClient http, Uri gateway, AccessTokens tokens)
{
    public const string WelfareClient = "wor-kampen";
    private const string WelfareScopes = "gateway/records.write";
    private static readonly byte[] RecordMarker = Encoding.UTF8.GetBytes("\"outcome\":");

    public async Task<BatchResult> RunAsync(byte[] file, long rows, ProcessCpu cpu, CancellationToken ct)
    {
        var token = await tokens.ForAsync(WelfareClient, WelfareScopes, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "records/batch?format=wor-export/v1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new ByteArrayContent(file);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };

        return await BatchUpload.SendAsync(http, request, rows, cpu, (response, clock, token) => ReadWithProgressAsync(response, rows, clock, token), ct);
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
