using System.Text.Json;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Jobs.PartnerSync;

/// <summary>
/// Pulls a partner's records from its export URL (partners file <c>pull.url</c>, on <c>pull.schedule</c>).
/// The export contract (README, "Scheduled sync"):
/// <c>GET {url}?since={cursor}</c> (no <c>since</c> on the very first pull) answers 200 with
/// <c>{"records": [ {…record…}, … ], "next": "&lt;cursor&gt;"}</c>: records oldest first, and the
/// opaque cursor of the position after them. The gateway stores every record of the page, then
/// keeps <c>next</c> and asks again from it, until a page is empty or <c>next</c> does not move.
/// Anything else (not reachable, too slow, not 2xx — a redirect is not followed —, not that JSON shape) fails the run with the
/// partner, URL and reason, the cursor untouched, and Hangfire retries it.
/// </summary>
public sealed class PullPartnerRecordsJob(
    PartnerDirectory partners, RecordProcessor processor, SyncCursor cursors, NpgsqlDataSource dataSource,
    IHttpClientFactory http, JobsOptions options, TimeProvider clock, ILogger<PullPartnerRecordsJob> logger)
{
    public const string HttpClientName = "partner-pull";

    public static string RecurringId(string partnerId) => $"pull:{partnerId}";

    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Pull records of {0}")]
    public async Task RunAsync(string partnerId, CancellationToken ct)
    {
        var partner = partners.Find(partnerId);
        if (partner?.Pull is not { } pull)
        {
            logger.LogWarning("Partner {Partner} has no pull settings any more; nothing pulled.", partnerId);
            return;
        }

        await using var held = await PartnerLock.TryTakeAsync(dataSource, RecurringId(partnerId), ct);
        if (held is null)
        {
            logger.LogInformation("A pull of {Partner} is already running elsewhere; this one stops.", partnerId);
            return;
        }

        var caller = PartnerCaller.For(partner, PartnerCaller.Pull);
        var since = await cursors.GetAsync(partnerId, ct);
        for (var page = 0; page < options.PullMaxPages; page++)
        {
            var url = PageUrl(pull.Url, since);
            var (records, next) = await FetchAsync(partnerId, url, ct);
            // Stored (whatever its outcome) before the cursor moves: a rejected record is kept with its reasons.
            await foreach (var _ in processor.ReceiveJsonManyAsync(caller, records, "pull", ct))
            {
            }

            if (records.Count == 0 || next is null || next == since)
            {
                return;
            }

            await cursors.SetAsync(partnerId, next, clock.GetUtcNow(), ct);
            logger.LogInformation("Pulled {Count} records of {Partner}; cursor now {Cursor}.", records.Count, partnerId, next);
            since = next;
        }
    }

    internal static Uri PageUrl(string url, string? since) =>
        new(since is null ? url : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "since=" + Uri.EscapeDataString(since));

    private async Task<(List<string> Records, string? Next)> FetchAsync(string partnerId, Uri url, CancellationToken ct)
    {
        string body;
        try
        {
            using var client = http.CreateClient(HttpClientName);
            client.Timeout = options.PullTimeout;
            using var response = await client.GetAsync(url, ct);
            body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(partnerId, url, $"answered {(int)response.StatusCode} {response.ReasonPhrase}{PartnerRedirects.Explain(response)}: {Excerpt(body)}");
            }
        }
        catch (TaskCanceledException timeout) when (!ct.IsCancellationRequested)
        {
            throw Failed(partnerId, url, $"did not answer within {options.PullTimeout.TotalSeconds:0.#} s", timeout);
        }
        catch (HttpRequestException unreachable)
        {
            throw Failed(partnerId, url, $"could not be reached: {unreachable.Message}", unreachable);
        }

        return ReadPage(partnerId, url, body);
    }

    internal static (List<string> Records, string? Next) ReadPage(string partnerId, Uri url, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                throw Failed(partnerId, url, $"answered JSON without a \"records\" array (expected {{\"records\": [...], \"next\": \"<cursor>\"}}): {Excerpt(body)}");
            }

            string? next = null;
            if (root.TryGetProperty("next", out var nextElement) && nextElement.ValueKind != JsonValueKind.Null)
            {
                next = nextElement.ValueKind == JsonValueKind.String
                    ? nextElement.GetString()
                    : throw Failed(partnerId, url, $"answered a \"next\" that is not a string: {Excerpt(nextElement.GetRawText())}");
            }

            var list = new List<string>();
            foreach (var record in records.EnumerateArray())
            {
                list.Add(record.ValueKind == JsonValueKind.Object
                    ? record.GetRawText()
                    : throw Failed(partnerId, url, $"answered a record that is not a JSON object (record {list.Count + 1}): {Excerpt(record.GetRawText())}"));
            }

            return (list, next);
        }
        catch (JsonException malformed)
        {
            throw Failed(partnerId, url, $"answered something that is not JSON (line {malformed.LineNumber + 1}): {Excerpt(body)}", malformed);
        }
    }

    private static PartnerPullException Failed(string partnerId, Uri url, string what, Exception? inner = null) =>
        new($"Pull of {partnerId} from {url} failed: the export {what}. The cursor is unchanged; the pull is retried.", inner);

    private static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

/// <summary>A pull that could not fetch or read a page of the partner's export; the job fails and is retried.</summary>
public sealed class PartnerPullException(string message, Exception? inner = null) : Exception(message, inner);
