using System.Net.Http.Headers;
using System.Text;

namespace Gateway.LoadDriver;

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

    public async Task<BatchResult> RunAsync(byte[] batch, int records, ProcessCpu cpu, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "records/batch?format=housing-case/v1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.ForAsync(Scenarios.HousingClient, HousingScopes, ct));
        request.Content = new ByteArrayContent(batch);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        return await BatchUpload.SendAsync(http, request, records, cpu, (response, _, token) => response.Content.ReadAsByteArrayAsync(token), ct);
    }
}
