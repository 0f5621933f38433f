namespace Gateway.Jobs;

/// <summary>Settings of the jobs (<c>Gateway:Jobs</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Gateway:Jobs";

    /// <summary>How often a jobs process looks for queued and scheduled work; tests make it short.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a job fetched by a process that then vanished (killed, crashed, its machine gone)
    /// stays invisible before another process takes it up again. The timeout slides: a running
    /// job's process renews it every few seconds, so a long job is never run twice while its
    /// process lives (Hangfire.PostgreSql's UseSlidingInvisibilityTimeout).
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Jobs one process runs at once.</summary>
    public int WorkerCount { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>The cron schedule on which referrals held for capacity are offered again (SPEC §11).</summary>
    public string CapacityReleaseSchedule { get; set; } = "*/5 * * * *";

    /// <summary>The cron schedule of the SLA checks (acceptance overdue, update reminders, re-measurement due).</summary>
    public string SlaSchedule { get; set; } = "*/5 * * * *";

    /// <summary>How long a partner's export may take to answer one page of a pull.</summary>
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pages one pull run fetches at most; the next run goes on from the cursor.</summary>
    public int PullMaxPages { get; set; } = 50;

    /// <summary>The cron schedule on which the partners' drop folders are looked at.</summary>
    public string DropFolderSchedule { get; set; } = "* * * * *";

    /// <summary>Where relative <c>dropFolder</c> paths of the partners file start; the content root when not set.</summary>
    public string? DropFolderRoot { get; set; }

    /// <summary>Seconds: a file modified more recently than this may still be being written and waits for the next run.</summary>
    public int DropFolderSettle { get; set; } = 10;

    /// <summary>The cron schedule of the recovery of records stored but never processed.</summary>
    public string PendingRecordsSchedule { get; set; } = "* * * * *";

    /// <summary>How long a record may stay <c>received</c> before the recovery job processes it.</summary>
    public TimeSpan PendingRecordAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The cron schedule of the outbox drain that backs up the in-process poller.</summary>
    public string DeliverySchedule { get; set; } = "* * * * *";

    /// <summary>Failed deliveries of one notification before its Subscription goes to error (or a webhook row to failed).</summary>
    public int DeliveryAttempts { get; set; } = 5;

    /// <summary>The wait after the first failed delivery; it doubles with every further failure.</summary>
    public TimeSpan DeliveryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two delivery attempts, however many failed.</summary>
    public TimeSpan DeliveryMaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a receiving endpoint may take to answer one notification, unless its Subscription asks otherwise (backport-timeout).</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest backport-timeout a Subscription gets: deliveries go one at a time, so a slow endpoint holds up the others.</summary>
    public TimeSpan DeliveryMaxTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The cron schedule of the retention job (daily, at night).</summary>
    public string RetentionSchedule { get; set; } = "30 2 * * *";

    /// <summary>When last month's MeasureReports are made (UTC): the first of the month at 03:00 (issue 19).</summary>
    public string MeasureReportsSchedule { get; set; } = "0 3 1 * *";

    /// <summary>How long after its last activity a closed referral keeps its personal data (ISO 8601 duration, SPEC §5).</summary>
    public string RetainClosedReferrals { get; set; } = "P730D";

    /// <summary>How long AuditEvents are kept (ISO 8601 duration, SPEC §5).</summary>
    public string RetainAudit { get; set; } = "P1825D";

    /// <summary>How long the first answer to a Bundle with an identifier is kept for its resends (ISO 8601 duration, SPEC §3: at least 30 days).</summary>
    public string RetainBundleResponses { get; set; } = "P30D";

    /// <summary>How long a partner record left rejected is kept for a fix and replay after it was last received (ISO 8601 duration).</summary>
    public string RetainRejectedRecords { get; set; } = "P90D";

    /// <summary>The cron schedule on which the Tasks at partners' own FHIR servers are read back (SPEC §7).</summary>
    public string CoordinationSyncSchedule { get; set; } = "*/5 * * * *";

    /// <summary>How long a partner's FHIR server may take to answer one request.</summary>
    public TimeSpan PartnerFhirTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The gateway's FHIR base as partners reach it (e.g. https://gateway.example.org/fhir), for the
    /// absolute references its copies at partners' servers carry and the fullUrls of notification
    /// bundles; the first address this process listens on when not set.
    /// </summary>
    public string? FhirBaseUrl { get; set; }
}
