using Gateway.Fhir.Export;
using Gateway.Fhir.Partners;
using Gateway.Jobs.Coordination;
using Gateway.Jobs.Delivery;
using Gateway.Jobs.Export;
using Gateway.Jobs.Measures;
using Gateway.Jobs.PartnerSync;
using Gateway.Jobs.Retention;
using Gateway.Jobs.Sla;
using Hangfire;

namespace Gateway.Jobs;

/// <summary>Every recurring job of the gateway, in one place (STYLE: Hangfire's "public API at the root").</summary>
public static class RecurringJobs
{
    public const string OutboxDrain = "notification-outbox";

    private static readonly RecurringJobOptions Utc = new() { TimeZone = TimeZoneInfo.Utc };

    /// <summary>Adds or updates the schedules; idempotent, so every jobs process may run it at start.</summary>
    public static void Register(IRecurringJobManager jobs, JobsOptions options, PartnerDirectory partners, ExportOptions? export = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(partners);

        var partnerJobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var partner in partners.Partners)
        {
            var partnerId = partner.Id;
            if (partner.Pull is { } pull)
            {
                partnerJobs.Add(PullPartnerRecordsJob.RecurringId(partnerId));
                jobs.AddOrUpdate<PullPartnerRecordsJob>(PullPartnerRecordsJob.RecurringId(partnerId), job => job.RunAsync(partnerId, CancellationToken.None), pull.Schedule);
            }

            if (partner.FhirEndpoint is not null)
            {
                jobs.AddOrUpdate<CoordinationSyncJob>(CoordinationSyncJob.RecurringId(partnerId), job => job.RunAsync(partnerId, CancellationToken.None), options.CoordinationSyncSchedule);
            }

            if (partner.DropFolder is not null)
            {
                partnerJobs.Add(DropFolderJob.RecurringId(partnerId));
                jobs.AddOrUpdate<DropFolderJob>(DropFolderJob.RecurringId(partnerId), job => job.RunAsync(partnerId, CancellationToken.None), options.DropFolderSchedule);
            }
        }

        ServiceDirectory.DirectoryJobs.Register(jobs, options, partners, partnerJobs);
        PartnerJobCleanup.RemoveUnwanted(jobs, partnerJobs);
        jobs.AddOrUpdate<PendingRecordsJob>(PendingRecordsJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.PendingRecordsSchedule);
        jobs.AddOrUpdate<OutboxDelivery>(OutboxDrain, delivery => delivery.DrainAsync(CancellationToken.None), options.DeliverySchedule);
        jobs.AddOrUpdate<SlaCheckJob>(SlaCheckJob.Id, job => job.RunAsync(CancellationToken.None), options.SlaSchedule, Utc);
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.Id, job => job.RunAsync(CancellationToken.None), options.RetentionSchedule, Utc);
        jobs.AddOrUpdate<ExportCleanupJob>(ExportCleanupJob.Id, job => job.RunAsync(CancellationToken.None), (export ?? new ExportOptions()).CleanupSchedule, Utc);
        jobs.AddOrUpdate<MonthlyMeasureReportsJob>(MonthlyMeasureReportsJob.Id, job => job.RunAsync(CancellationToken.None), options.MeasureReportsSchedule, Utc);
    }
}
