using Npgsql;
using NpgsqlTypes;

namespace Gateway.Jobs.Delivery;

/// <summary>The SQL of <c>notification_outbox</c>: the next row of every target, and the marks an attempt leaves.</summary>
public sealed class OutboxRows(NpgsqlDataSource dataSource)
{
    private const string HeadColumns = "o.id, o.kind, o.target, o.resource_type, o.resource_id, o.resource_version, o.attempts, o.next_attempt_at, o.created_at, o.event_number";

    /// <summary>
    /// The first pending row of every target, due or not: a target waits for its first row, so
    /// notifications arrive in the order their changes committed. A handshake goes before the rest.
    /// </summary>
    /// <remarks>
    /// One probe per target (a skip scan: the next target after the last, through the pending
    /// index), not a sort of every pending row: a partner whose endpoint is down can have tens of
    /// thousands pending, and reading them all took 770 ms a poll (docs/performance.md).
    /// </remarks>
    public async Task<IReadOnlyList<OutboxRow>> HeadsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            with recursive targets (target) as (
                (select target from notification_outbox where state = 'pending' order by target limit 1)
                union all
                select (select o.target from notification_outbox o where o.state = 'pending' and o.target > t.target order by o.target limit 1)
                from targets t where t.target is not null
            )
            select h.id, h.kind, h.target, h.resource_type, h.resource_id, h.resource_version, h.attempts, h.next_attempt_at, h.created_at, h.event_number
            from targets t
            cross join lateral (
                (select 0 as handshake_last, {HeadColumns} from notification_outbox o
                 where o.state = 'pending' and o.kind = 'handshake' and o.target = t.target order by o.id limit 1)
                union all
                (select 1, {HeadColumns} from notification_outbox o
                 where o.state = 'pending' and o.target = t.target order by o.id limit 1)
                order by handshake_last
                limit 1
            ) h
            where t.target is not null
            order by h.target
            """);
        return await ReadAsync(command, ct);
    }

    /// <summary>The pending notifications of <paramref name="head"/>'s Subscription from it on, oldest first, at most <paramref name="count"/>: one notification's events (backport-max-count).</summary>
    public async Task<IReadOnlyList<OutboxRow>> EventsFromAsync(OutboxRow head, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (count <= 1)
        {
            return [head];
        }

        await using var command = dataSource.CreateCommand($"""
            select {HeadColumns} from notification_outbox o
            where o.state = 'pending' and o.target = $1 and o.kind = 'subscription' and o.id >= $2
            order by o.id limit $3
            """);
        command.Parameters.Add(new() { Value = head.Target });
        command.Parameters.Add(new() { Value = head.Id });
        command.Parameters.Add(new() { Value = count });
        var rows = await ReadAsync(command, ct);
        return rows.Count > 0 && rows[0].Id == head.Id ? rows : [head];
    }

    /// <summary>Marks the rows delivered and, for a Subscription, when it was last sent something (for its heartbeats).</summary>
    public async Task DeliveredAsync(IReadOnlyList<OutboxRow> delivered, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        await using var command = dataSource.CreateCommand("""
            with done as (
                update notification_outbox set state = 'delivered', delivered_at = $2, attempts = attempts + 1, last_error = null
                where id = any($1) returning target
            )
            insert into subscription_last_sent (subscription_id, sent_at)
            select distinct substr(target, length('Subscription/') + 1), $2 from done where target like 'Subscription/%'
            on conflict (subscription_id) do update set sent_at = greatest(subscription_last_sent.sent_at, excluded.sent_at)
            """);
        command.Parameters.Add(new() { Value = delivered.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task DeliveredAsync(OutboxRow row, DateTimeOffset now, CancellationToken ct) => DeliveredAsync([row], now, ct);

    /// <summary>Done with, without sending: nobody is owed it any more (e.g. a handshake the client no longer waits for).</summary>
    public Task SkippedAsync(OutboxRow row, string reason, DateTimeOffset now, CancellationToken ct) =>
        ExecuteAsync("update notification_outbox set state = 'delivered', delivered_at = $2, last_error = $3 where id = $1", ct, row.Id, now, reason);

    public Task RetryAsync(OutboxRow row, string error, DateTimeOffset nextAttempt, int attempts, CancellationToken ct) =>
        ExecuteAsync("update notification_outbox set attempts = $2, next_attempt_at = $3, last_error = $4 where id = $1",
            ct, row.Id, attempts, nextAttempt, error);

    public Task FailedAsync(OutboxRow row, string error, CancellationToken ct) =>
        ExecuteAsync("update notification_outbox set state = 'failed', attempts = attempts + 1, last_error = $2 where id = $1", ct, row.Id, error);

    /// <summary>Every pending row of a target given up (its Subscription is gone).</summary>
    public Task FailTargetAsync(string target, string error, CancellationToken ct) =>
        ExecuteAsync("update notification_outbox set state = 'failed', last_error = $2 where target = $1 and state = 'pending'", ct, target, error);

    /// <summary>The webhook body of the row, made once by <paramref name="make"/> and kept, so every retry sends (and signs) the same bytes.</summary>
    public async Task<string> PayloadAsync(OutboxRow row, Func<Task<string>> make, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(make);
        await using (var read = dataSource.CreateCommand("select payload::text from notification_outbox where id = $1"))
        {
            read.Parameters.Add(new() { Value = row.Id });
            if (await read.ExecuteScalarAsync(ct) is string kept)
            {
                return kept;
            }
        }

        await using var write = dataSource.CreateCommand("update notification_outbox set payload = coalesce(payload, $2) where id = $1 returning payload::text");
        write.Parameters.Add(new() { Value = row.Id });
        write.Parameters.Add(new() { Value = await make(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return (string)(await write.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The stored JSON of one version of a resource; null when that version is a deletion.</summary>
    public async Task<string?> VersionBodyAsync(OutboxRow row, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            select v.body::text from resource r join resource_version v on v.resource_key = r.resource_key
            where r.resource_type = $1 and r.resource_id = $2 and v.version = $3
            """);
        command.Parameters.Add(new() { Value = row.ResourceType });
        command.Parameters.Add(new() { Value = row.ResourceId });
        command.Parameters.Add(new() { Value = row.ResourceVersion });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>The Subscription's events so far (<c>subscription_events</c>), for its handshake.</summary>
    public async Task<long> EventsSinceStartAsync(string subscriptionId, CancellationToken ct) =>
        (await Gateway.Fhir.Subscriptions.SubscriptionEvents.CountsAsync(dataSource, [subscriptionId], ct))[subscriptionId];

    /// <summary>The partner whose client created the Subscription (<c>created_by</c>); null for the gateway's own.</summary>
    public async Task<string?> CreatorAsync(string subscriptionId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select created_by from resource where resource_type = 'Subscription' and resource_id = $1");
        command.Parameters.Add(new() { Value = subscriptionId });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static async Task<List<OutboxRow>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = new List<OutboxRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9)));
        }

        return rows;
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
