using Gateway.Fhir.Conformance;
using Npgsql;

namespace Gateway.Fhir.Overview;

/// <summary>Referral Tasks of one owner (a partner's Organization id, or empty when unassigned) in one state.</summary>
public sealed record OwnerCount(string Owner, string Key, int Count);

/// <summary>Partner records received on one UTC day that ended in one state (received, applied or rejected).</summary>
public sealed record DayCount(DateOnly Day, string State, int Count);

/// <summary>
/// The console home page's counts (issue 21, item 8), each one grouped query over the store:
/// referral Tasks by status and owner, SLA breaches by owner, partner records per day by outcome.
/// Counts only; nothing about a person leaves here.
/// </summary>
public sealed class ConsoleOverview(NpgsqlDataSource db)
{
    /// <summary>The SLA marks of SPEC §5 the checks put on a Task, as the referrals list filters them.</summary>
    public static readonly IReadOnlyList<string> SlaBreaches = [AcceptanceOverdue, UpdateOverdue, RemeasureDue];

    public const string AcceptanceOverdue = "acceptance-overdue";
    public const string UpdateOverdue = "update-overdue";
    public const string RemeasureDue = "remeasure-due";

    /// <summary>Where the SLA checks' flags live (Task.meta.tag; Gateway.Jobs' ReferralFlags writes them).</summary>
    public const string FlagSystem = GatewayGuide.CanonicalBase + "/CodeSystem/referral-flag";

    public async Task<IReadOnlyList<OwnerCount>> ReferralStatesAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select coalesce(o.target_id, ''), s.code, count(*)::int
            from resource r
            join search_token s on s.resource_key = r.resource_key and s.param = 'status'
            left join search_reference o on o.resource_key = r.resource_key and o.param = 'owner'
            where r.resource_type = 'Task' and not r.is_deleted
            group by 1, 2 order by 1, 2
            """);
        return await OwnerCountsAsync(command, ct);
    }

    public async Task<IReadOnlyList<OwnerCount>> SlaBreachesByOwnerAsync(CancellationToken ct)
    {
        // Acceptance overdue is the Task's businessStatus (indexed); the two reminders are tags, which Task search does not index.
        await using var command = db.CreateCommand("""
            select coalesce(o.target_id, ''), b.breach, count(*)::int
            from resource r
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            left join search_reference o on o.resource_key = r.resource_key and o.param = 'owner'
            cross join lateral (
                select $1 as breach where exists (select 1 from search_token t where t.resource_key = r.resource_key and t.param = 'business-status' and t.code = $1)
                union all select $2 where exists (select 1 from json_array_elements(v.body -> 'meta' -> 'tag') tag where tag ->> 'system' = $4 and tag ->> 'code' = $2)
                union all select $3 where exists (select 1 from json_array_elements(v.body -> 'meta' -> 'tag') tag where tag ->> 'system' = $4 and tag ->> 'code' = $3)
            ) b
            where r.resource_type = 'Task' and not r.is_deleted
            group by 1, 2 order by 1, 2
            """);
        command.Parameters.Add(new() { Value = AcceptanceOverdue });
        command.Parameters.Add(new() { Value = UpdateOverdue });
        command.Parameters.Add(new() { Value = RemeasureDue });
        command.Parameters.Add(new() { Value = FlagSystem });
        return await OwnerCountsAsync(command, ct);
    }

    /// <summary>Records received from <paramref name="since"/> on, per UTC day and final state.</summary>
    public async Task<IReadOnlyList<DayCount>> RecordsByDayAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select (received_at at time zone 'UTC')::date, state, count(*)::int
            from partner_record where received_at >= $1
            group by 1, 2 order by 1, 2
            """);
        command.Parameters.Add(new() { Value = since });
        var counts = new List<DayCount>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts.Add(new DayCount(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return counts;
    }

    /// <summary>Records left rejected, as the rejected-records list shows them.</summary>
    public async Task<int> RejectedRecordCountAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("select count(*)::int from partner_record where state = 'rejected'");
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<IReadOnlyList<OwnerCount>> OwnerCountsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var counts = new List<OwnerCount>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts.Add(new OwnerCount(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return counts;
    }
}
