using Gateway.Fhir.Subscriptions;
using Npgsql;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// Heartbeats (Backport IG, backport-heartbeat-period; docs/adr/0008): an active Subscription with
/// a heartbeat period, sent nothing for that long and owed nothing, gets a heartbeat outbox row,
/// delivered, retried and failed like its notifications. Runs inside the drain's lock, so two
/// processes never both enqueue one.
/// </summary>
public sealed class Heartbeats(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<int> EnqueueDueAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            insert into notification_outbox (kind, target, resource_type, resource_id, resource_version, created_at, next_attempt_at)
            select 'heartbeat', 'Subscription/' || r.resource_id, 'Subscription', r.resource_id, r.version, $1, $1
            from resource r
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            cross join lateral (
                select (e->>'valueUnsignedInt')::bigint as seconds
                from json_array_elements(coalesce(v.body->'channel'->'extension', '[]'::json)) e
                where e->>'url' = $2
                limit 1
            ) h
            left join subscription_last_sent s on s.subscription_id = r.resource_id
            where r.resource_type = 'Subscription' and not r.is_deleted
              and v.body->>'status' = 'active' and h.seconds > 0
              and coalesce(s.sent_at, '-infinity') <= $1 - make_interval(secs => h.seconds::double precision)
              and not exists (select 1 from notification_outbox o where o.state = 'pending' and o.target = 'Subscription/' || r.resource_id)
            """);
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = Backport.HeartbeatPeriod });
        return await command.ExecuteNonQueryAsync(ct);
    }
}
