using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Fhir.Subscriptions;
using Gateway.Jobs.PartnerSync;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;

namespace Gateway.Api.OperatorConsole;

/// <summary>How a partner's scheduled pull last went: Hangfire's last run of its recurring job, and when its cursor last moved.</summary>
public sealed record PullHealth(DateTimeOffset? LastRun, string? Outcome, string? Error, DateTimeOffset? CursorMovedAt);

/// <summary>One partner on the console's partners page.</summary>
public sealed record PartnerHealthRow(Partner Partner, IReadOnlyList<string> Formats, PullHealth? Pull, int RejectedLastDay, int FailingDeliveries);

/// <summary>Partners and their health (issue 10): last pull, records rejected in the last 24 hours, deliveries not getting through.</summary>
public sealed class PartnerHealth(PartnerDirectory partners, RejectedRecords rejected, FailingDeliveries deliveries, JobStorage jobs, NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<IReadOnlyList<PartnerHealthRow>> ReadAsync(CancellationToken ct)
    {
        var rejectedLastDay = await rejected.CountSinceAsync(clock.GetUtcNow().AddHours(-24), ct);
        var failing = (await deliveries.TargetsAsync(ct)).Where(t => t.Partner is not null)
            .GroupBy(t => t.Partner!).ToDictionary(g => g.Key, g => g.Sum(t => t.Failed + t.Retrying), StringComparer.Ordinal);
        var cursors = await CursorTimesAsync(ct);
        return partners.Partners.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => new PartnerHealthRow(
            p,
            Formats(p),
            p.Pull is null ? null : Pull(p.Id, cursors.TryGetValue(p.Id, out var moved) ? moved : null),
            rejectedLastDay.GetValueOrDefault(p.Id),
            failing.GetValueOrDefault(p.Id))).ToList();
    }

    private static List<string> Formats(Partner partner)
    {
        var formats = RecordMappers.SentBy.Where(f => f.Value == partner.Kind).Select(f => f.Key).ToList();
        if (partner.RecordFormat is { } named && !formats.Contains(named))
        {
            formats.Add(named);
        }

        return formats;
    }

    private PullHealth Pull(string partnerId, DateTimeOffset? cursorMovedAt)
    {
        using var connection = jobs.GetConnection();
        var recurring = connection.GetRecurringJobs([PullPartnerRecordsJob.RecurringId(partnerId)]).FirstOrDefault();
        if (recurring?.LastJobId is not { } jobId)
        {
            return new PullHealth(null, recurring is null ? "not scheduled on this gateway's jobs" : "not run yet", recurring?.Error, cursorMovedAt);
        }

        var history = jobs.GetMonitoringApi().JobDetails(jobId)?.History ?? [];
        var latest = history.FirstOrDefault();
        // A failed run waits for its retry in the Scheduled state; the failure's message is on the Failed state before it.
        var failed = history.TakeWhile(h => h.StateName != SucceededState.StateName).FirstOrDefault(h => h.StateName == FailedState.StateName);
        var error = failed?.Data is { } data && data.TryGetValue("ExceptionMessage", out var message) ? message : null;
        var lastRun = recurring.LastExecution is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        var outcome = latest is null ? recurring.LastJobState : latest.Reason is { Length: > 0 } reason ? $"{latest.StateName} ({reason})" : latest.StateName;
        return new PullHealth(lastRun, outcome, error, cursorMovedAt);
    }

    private async Task<Dictionary<string, DateTimeOffset>> CursorTimesAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("select partner_id, updated_at from partner_sync_cursor");
        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            times[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return times;
    }
}
