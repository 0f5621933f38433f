using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Gateway.Jobs.PartnerSync;

/// <summary>
/// Processes the records left <c>received</c>: stored (so accepted from the partner) but never
/// applied or rejected, because the process stopped in between. Each is replayed as its partner,
/// once it is older than <see cref="JobsOptions.PendingRecordAge"/>, so records being processed
/// right now are not touched.
/// </summary>
public sealed class PendingRecordsJob(RecordLog log, RecordProcessor processor, PartnerDirectory partners, JobsOptions options, TimeProvider clock, ILogger<PendingRecordsJob> logger)
{
    public const string RecurringId = "records:recover";
    private const int BatchSize = 200;

    // One run at a time across instances: two replays of one record at once could both apply it.
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Recover records left unprocessed")]
    public async Task RunAsync(CancellationToken ct)
    {
        var pending = await log.PendingAsync(clock.GetUtcNow() - options.PendingRecordAge, BatchSize, ct);
        foreach (var recordId in pending)
        {
            if (await log.GetAsync(recordId, ct) is not { State: RecordState.Received } record)
            {
                continue;
            }

            if (partners.Find(record.PartnerId) is not { } partner)
            {
                logger.LogWarning("Record {Record} of {Partner}, a partner no longer in the partners file, stays received.", recordId, record.PartnerId);
                continue;
            }

            var report = await processor.ReplayAsync(PartnerCaller.For(partner, PartnerCaller.Recovery), record, ct);
            logger.LogInformation("Recovered record {Record} of {Partner}: {Outcome}.", recordId, record.PartnerId, report.Outcome);
        }
    }
}
