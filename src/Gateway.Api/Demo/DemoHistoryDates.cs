using Npgsql;

namespace Gateway.Api.Demo;

/// <summary>
/// Moves the seeded history referrals' Tasks back to when they were made (<see cref="DemoDates"/>):
/// the product stamps every version with the time it stored it, and the outcome Measures read
/// authored-on and those stamps (first contact is the first version in progress). One statement for
/// all of them: version 1 at the referral, the versions the provider's first record made (accepted,
/// in progress, or declined) ContactDays later, a closing one (completed, cancelled, failed)
/// CloseDays after that; authoredOn, lastModified, the authored-on index and the referral feed's index follow. Demo data only: nothing else in the gateway rewrites history.
/// </summary>
public static class DemoHistoryDates
{
    private const string Sql = """
        with target as (
            select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[]) t(system, value, authored, contact_days, close_days)
        ),
        task as (
            select t.*, f.resource_key
            from target t
            join search_token s on s.resource_type = 'ServiceRequest' and s.param = 'identifier' and s.system = t.system and s.code = t.value
            join resource sr on sr.resource_key = s.resource_key
            join search_reference f on f.resource_type = 'Task' and f.param = 'focus' and f.target_type = 'ServiceRequest' and f.target_id = sr.resource_id
        ),
        stamped as (
            select v.resource_key, v.version, t.authored,
                   t.authored + make_interval(days => case when v.version = 1 then 0
                                                           when v.body->>'status' in ('completed', 'cancelled', 'failed') then t.contact_days + t.close_days
                                                           else t.contact_days end, mins => v.version) as at
            from task t join resource_version v on v.resource_key = t.resource_key
        ),
        versions as (
            update resource_version v
            set last_updated = s.at,
                body = case when v.body is null then null else
                       jsonb_set(jsonb_set(jsonb_set(v.body::jsonb, '{authoredOn}', to_jsonb(to_char(s.authored at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')), false),
                                 '{lastModified}', to_jsonb(to_char(s.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')), false),
                                 '{meta,lastUpdated}', to_jsonb(to_char(s.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')), false) end
            from stamped s
            where v.resource_key = s.resource_key and v.version = s.version
            returning v.resource_key
        ),
        dates as (
            update search_date d set start_at = t.authored, end_at = t.authored
            from task t
            where d.resource_key = t.resource_key and d.param = 'authored-on'
            returning d.resource_key
        )
        -- task_feed follows the update of resource (migration 0044's trigger).
        update resource r set last_updated = s.at
        from stamped s
        where r.resource_key = s.resource_key and r.version = s.version
        """;

    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, IReadOnlyList<DemoReferral> referrals, CancellationToken ct)
    {
        var dated = referrals.Where(r => r.Dates is not null).ToList();
        if (dated.Count == 0)
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new() { Value = dated.Select(r => r.Identifier.Split('|')[0]).ToArray() });
        command.Parameters.Add(new() { Value = dated.Select(r => r.Identifier.Split('|')[1]).ToArray() });
        command.Parameters.Add(new() { Value = dated.Select(r => r.Dates!.Authored.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new() { Value = dated.Select(r => r.Dates!.ContactDays).ToArray() });
        command.Parameters.Add(new() { Value = dated.Select(r => r.Dates!.CloseDays).ToArray() });
        return await command.ExecuteNonQueryAsync(ct);
    }
}
