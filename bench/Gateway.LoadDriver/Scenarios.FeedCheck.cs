using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Gateway.LoadDriver;

/// <summary>The referral feed as a real poller mostly reads it (its head), and the whole feed written out to compare two builds.</summary>
public sealed partial class Scenarios
{
    private const string WelfareClient = "wor-kampen";

    /// <summary>
    /// The head of the housing provider's feed: <c>since</c> the newest referral's sentAt, so each poll
    /// answers that one referral (and any made since), as a poller that keeps up sees it.
    /// </summary>
    public async Task<Request> ReferralFeedHeadAsync(CancellationToken ct)
    {
        using var search = await SendAsync(HttpMethod.Get, "fhir/Task?owner=Organization/hfactor-housing&_sort=-_lastUpdated&_count=1", null, null, HousingClient, HousingScopes, ct);
        using var found = JsonDocument.Parse(await search.Content.ReadAsStringAsync(ct));
        var newest = found.RootElement.GetProperty("entry")[0].GetProperty("resource").GetProperty("meta").GetProperty("lastUpdated").GetString()!;
        var path = "records/referrals?since=" + Uri.EscapeDataString(newest);
        await Console.Error.WriteLineAsync($"The head of the feed: {path}");
        return async (_, token) =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, null, HousingClient, HousingScopes, token);
            return response.StatusCode == HttpStatusCode.OK;
        };
    }

    /// <summary>
    /// Every page of the housing provider's and the welfare organisation's feeds, following next, as
    /// the gateway answered them (one line a page), to compare two builds byte for byte.
    /// </summary>
    public async Task<int> DumpFeedsAsync(string path, CancellationToken ct)
    {
        await using var output = new StreamWriter(path);
        var pages = 0;
        foreach (var client in new[] { HousingClient, WelfareClient })
        {
            string? next = "records/referrals";
            while (next is not null)
            {
                using var response = await SendAsync(HttpMethod.Get, next, null, null, client, HousingScopes, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{client} {(int)response.StatusCode} {body}"));
                using var page = JsonDocument.Parse(body);
                next = page.RootElement.TryGetProperty("next", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString()!.TrimStart('/') : null;
                pages++;
            }
        }

        return pages;
    }
}
