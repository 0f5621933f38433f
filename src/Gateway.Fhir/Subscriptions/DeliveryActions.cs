using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// What an operator can do about deliveries that are not getting through (issue 21, item 9): try a
/// target's failed and waiting rows again now, or re-activate a Subscription in error. Both leave
/// the actual sending to the delivery job; the console's request is the audit record.
/// </summary>
public sealed class DeliveryActions(NpgsqlDataSource db, ResourceStore store, TimeProvider clock)
{
    /// <summary>Puts the target's failed rows back in the queue with a fresh count of attempts, and its waiting rows due now; answers how many.</summary>
    public async Task<int> RetryAsync(string target, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            update notification_outbox set state = 'pending', attempts = 0, next_attempt_at = $2
            where target = $1 and (state = 'failed' or (state = 'pending' and last_error is not null))
            """);
        command.Parameters.Add(new() { Value = target });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A Subscription in error goes back to <c>requested</c>, as a client re-activating it would do
    /// (FHIR R4 subscription.html#states): the write queues a new handshake, and once it succeeds
    /// the notifications held for it are sent. False when it is not in error (any more).
    /// </summary>
    public async Task<bool> ReactivateAsync(string subscriptionId, CancellationToken ct)
    {
        if ((await store.ReadAsync("Subscription", subscriptionId, ct)).Resource is not Subscription { Status: Subscription.SubscriptionStatus.Error })
        {
            return false;
        }

        await store.WriteAsync(writer => writer.PatchAsync("Subscription", subscriptionId, null, resource =>
        {
            var subscription = (Subscription)resource;
            subscription.Status = Subscription.SubscriptionStatus.Requested;
            subscription.Error = null;
            return subscription;
        }, ct), ct);
        return true;
    }
}
