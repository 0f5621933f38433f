using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Telemetry;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Gateway.Jobs.Sla;

/// <summary>What one run of the SLA checks changed.</summary>
public sealed record SlaCheckResult(int AcceptanceOverdue, int UpdateOverdue, int RemeasureDue, int Cleared = 0)
{
    public int Total => AcceptanceOverdue + UpdateOverdue + RemeasureDue + Cleared;
}

/// <summary>
/// The SLA checks of SPEC §5 (recurring, <c>Gateway:Jobs:SlaSchedule</c>): acceptance overdue,
/// update reminders, outcome measures due again, and the marks whose cause has gone taken off
/// (<see cref="StaleFlags"/>). Idempotent: a Task already marked is not matched again, so a
/// second run changes nothing.
/// </summary>
public sealed partial class SlaCheckJob(ResourceStore store, PartnerDirectory partners, TimeProvider clock, ILogger<SlaCheckJob> logger)
{
    public const string Id = "sla-checks";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<SlaCheckResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cleared = await StaleFlags.RunAsync(store, partners, now, ct);
        var result = new SlaCheckResult(
            await AcceptanceOverdue.RunAsync(store, now, ct),
            await UpdateOverdue.RunAsync(store, partners, now, ct),
            await RemeasureDue.RunAsync(store, partners, now, ct),
            cleared);
        LogRun(logger, result.AcceptanceOverdue, result.UpdateOverdue, result.RemeasureDue, now);
        GatewayTelemetry.SlaBreached(AcceptanceOverdue.Code, result.AcceptanceOverdue);
        GatewayTelemetry.SlaBreached(ReferralFlags.UpdateOverdue, result.UpdateOverdue);
        GatewayTelemetry.SlaBreached(ReferralFlags.RemeasureDue, result.RemeasureDue);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA checks at {Now}: {AcceptanceOverdue} Tasks marked acceptance overdue, {UpdateOverdue} flagged update overdue, {RemeasureDue} flagged outcome measure due")]
    private static partial void LogRun(ILogger logger, int acceptanceOverdue, int updateOverdue, int remeasureDue, DateTimeOffset now);
}
