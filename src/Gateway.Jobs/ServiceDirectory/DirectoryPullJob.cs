using System.Text.Json;
using Gateway.Fhir.Partners;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Jobs.PartnerSync;
using Gateway.Mapping.LocalOffer;
using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Jobs.ServiceDirectory;

/// <summary>
/// Pulls a partner's Open Referral UK / HSDS 3 API (partners file <c>directorySource.url</c>, its
/// <c>/services</c>) page by page (<c>?page=n&amp;per_page=…</c>, HSDS 3's paginated response with
/// <c>contents</c> and <c>total_pages</c>), applies every service, and once the last page is read,
/// deactivates what the source no longer lists. Reentrant: a rerun writes only what changed.
/// A page that cannot be fetched or read fails the run before anything is deactivated; Hangfire retries it.
/// </summary>
public sealed class DirectoryPullJob(PartnerDirectory partners, DirectoryImport import, DirectoryImportLog log, NpgsqlDataSource dataSource, IHttpClientFactory http, JobsOptions options,
    ILogger<DirectoryPullJob> logger)
{
    private const int PerPage = 50;

    public static string RecurringId(string partnerId) => $"directory:{partnerId}";

    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Pull the service directory of {0}")]
    public async Task<IReadOnlyList<DirectoryEntryOutcome>> RunAsync(string partnerId, CancellationToken ct)
    {
        var partner = partners.Find(partnerId);
        if (partner?.DirectorySource is not { } source)
        {
            logger.LogWarning("Partner {Partner} has no directory source any more; nothing pulled.", partnerId);
            return [];
        }

        await using var held = await PartnerLock.TryTakeAsync(dataSource, RecurringId(partnerId), ct);
        if (held is null)
        {
            logger.LogInformation("A directory pull of {Partner} is already running elsewhere; this one stops.", partnerId);
            return [];
        }

        var caller = PartnerCaller.For(partner, PartnerCaller.Pull);
        var report = new List<DirectoryEntryOutcome>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; page <= options.PullMaxPages; page++)
        {
            var url = new Uri(source.Url + (source.Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"page={page}&per_page={PerPage}");
            using var document = await FetchAsync(partnerId, url, ct);
            var entries = OrukServiceReader.Read(document.RootElement);
            foreach (var read in entries)
            {
                var outcome = await import.ApplyAsync(caller, OrukServiceReader.Format, read, ct);
                if (outcome.Outcome != DirectoryEntryOutcome.Rejected)
                {
                    seen.Add(outcome.SourceId);
                }

                report.Add(outcome);
            }

            if (entries.Count == 0 || page >= (OrukServiceReader.TotalPages(document.RootElement) ?? page))
            {
                report.AddRange(await import.RetireMissingAsync(caller, OrukServiceReader.Format, seen, ct));
                await log.SaveAsync(partnerId, OrukServiceReader.Format, "pull " + source.Url, report, ct);
                logger.LogInformation("Pulled the directory of {Partner}: {Report}.", partnerId,
                    string.Join(", ", report.GroupBy(r => r.Outcome).Select(g => $"{g.Count()} {g.Key}")));
                return report;
            }
        }

        // More pages than a run reads: nothing is deactivated on a partial view of the source.
        logger.LogWarning("The directory of {Partner} has more than {Pages} pages; the rest is read next time and nothing was deactivated.", partnerId, options.PullMaxPages);
        return report;
    }

    private async Task<JsonDocument> FetchAsync(string partnerId, Uri url, CancellationToken ct)
    {
        using var client = http.CreateClient(PullPartnerRecordsJob.HttpClientName);
        client.Timeout = options.PullTimeout;
        string body;
        try
        {
            using var response = await client.GetAsync(url, ct);
            body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new PartnerPullException($"Directory pull of {partnerId} from {url} failed: the source answered {(int)response.StatusCode} {response.ReasonPhrase}. Nothing was deactivated; the pull is retried.");
            }
        }
        catch (HttpRequestException unreachable)
        {
            throw new PartnerPullException($"Directory pull of {partnerId} from {url} failed: the source could not be reached ({unreachable.Message}). Nothing was deactivated; the pull is retried.", unreachable);
        }

        try
        {
            var document = JsonDocument.Parse(body);
            _ = OrukServiceReader.TotalPages(document.RootElement);
            return document;
        }
        catch (JsonException malformed)
        {
            throw new PartnerPullException($"Directory pull of {partnerId} from {url} failed: the answer is not JSON ({malformed.Message}). Nothing was deactivated; the pull is retried.", malformed);
        }
    }
}
