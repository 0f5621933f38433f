namespace Gateway.Jobs;

/// <summary>Settings of the jobs (<c>Gateway:Jobs</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Gateway:Jobs";

    /// <summary>How often a jobs process looks for queued and scheduled work; tests make it short.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Jobs one process runs at once.</summary>
    public int WorkerCount { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>The cron schedule of the SLA checks (acceptance overdue, update reminders, re-measurement due).</summary>
    public string SlaSchedule { get; set; } = "*/5 * * * *";

    /// <summary>The cron schedule of the retention job (daily, at night).</summary>
    public string RetentionSchedule { get; set; } = "30 2 * * *";

    /// <summary>How long after its last activity a closed referral keeps its personal data (ISO 8601 duration, SPEC §5).</summary>
    public string RetainClosedReferrals { get; set; } = "P730D";

    /// <summary>How long AuditEvents are kept (ISO 8601 duration, SPEC §5).</summary>
    public string RetainAudit { get; set; } = "P1825D";
}
