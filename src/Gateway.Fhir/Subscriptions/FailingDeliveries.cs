using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Subscriptions;

/// <summary>A Subscription the delivery gave up on (status <c>error</c>), with its reason and who made it.</summary>
public sealed record SubscriptionInError(string Id, string? CreatedBy, string? Criteria, string? Endpoint, string? Error, DateTimeOffset Since);

/// <summary>An outbox target with deliveries failed or being retried: a Subscription or a partner's referral webhook.</summary>
/// <param name="Partner">The partner it serves: the webhook's, or the one whose client created the Subscription.</param>
public sealed record FailingTarget(string Target, string? Partner, string Kind, int Failed, int Retrying, int MostAttempts, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset FirstCreatedAt);

/// <summary>What the console shows of deliveries that are not getting through (tables resource and notification_outbox).</summary>
public sealed class FailingDeliveries(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<SubscriptionInError>> SubscriptionsInErrorAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select r.resource_id, r.created_by, r.last_updated, v.body::text
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = 'Subscription' and not r.is_deleted
              and exists (select 1 from search_token t where t.resource_key = r.resource_key and t.param = 'status' and t.code = 'error')
            order by r.last_updated desc
            """);
        var found = new List<SubscriptionInError>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var subscription = FhirSerialization.FromStoredJson(reader.GetString(3)) as Subscription;
            found.Add(new SubscriptionInError(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), subscription?.Criteria,
                subscription?.Channel?.Endpoint, subscription?.Error, reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return found;
    }

    /// <summary>Targets with rows failed, or pending after a failed attempt; the latest error of each.</summary>
    public async Task<IReadOnlyList<FailingTarget>> TargetsAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select target,
                   case when target like 'webhook/%' then substr(target, 9)
                        else (select created_by from resource where resource_type = 'Subscription' and 'Subscription/' || resource_id = target) end,
                   min(kind), count(*) filter (where state = 'failed')::int, count(*) filter (where state = 'pending')::int, max(attempts),
                   (array_agg(last_error order by id desc))[1], min(next_attempt_at) filter (where state = 'pending'), min(created_at)
            from notification_outbox
            where last_error is not null and (state = 'failed' or state = 'pending')
            group by target order by target
            """);
        var found = new List<FailingTarget>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add(new FailingTarget(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return found;
    }
}
