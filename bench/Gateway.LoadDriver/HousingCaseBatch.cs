using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gateway.LoadDriver;

/// <summary>What one JSON batch of housing-case records did, from the first byte sent to the report's last byte received.</summary>
public sealed record HousingCaseBatchResult(int Records, TimeSpan Elapsed, int Accepted, int Unchanged, int Rejected, double? GatewayCpuSeconds, double? PostgresCpuSeconds,
    string LoadBefore, string LoadAfter)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;
}

/// <summary>
/// Posts one JSON array of housing-case/v1 records to <c>/records/batch?format=housing-case/v1</c>
/// as the housing provider's client, one record per referral of the preload (referral numbers 1 to
/// <c>--count</c>, then round again), each a new message; the gateway answers when every record
/// is applied or rejected, so the end of the answer is the end of the work.
/// </summary>
public sealed class HousingCaseBatch(HttpClient http, Uri gateway, AccessTokens tokens, ReferralData data)
{
    private const string HousingScopes = "system/Task.rus gateway/records.write";

    /// <param name="skip">Start this many referrals on, so two batches in turn name different referrals.</param>
    public byte[] Build(int records, long preloaded, long skip)
    {
        var json = new StringBuilder("[");
        for (var i = 0L; i < records; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(data.HousingCase(1 + ((skip + i) % preloaded)));
        }

        return Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }

    public async Task<HousingCaseBatchResult> RunAsync(byte[] batch, int records, ProcessCpu cpu, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "records/batch?format=housing-case/v1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.ForAsync(Scenarios.HousingClient, HousingScopes, ct));
        request.Content = new ByteArrayContent(batch);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        var loadBefore = LoadAverage.Now();
        var before = cpu.Read();
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
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
            await Console.Error.WriteLineAsync($"rejected record: {rejected.GetProperty("issues")}");
        }

        var summary = report.RootElement.GetProperty("summary");
        return new HousingCaseBatchResult(records, elapsed, summary.GetProperty("accepted").GetInt32(), summary.GetProperty("unchanged").GetInt32(),
            summary.GetProperty("rejected").GetInt32(), (after.Gateway - before.Gateway).TotalSeconds, (after.Postgres - before.Postgres).TotalSeconds, loadBefore, loadAfter);
    }
}
