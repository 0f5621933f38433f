using Gateway.Fhir.Errors;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Subscriptions;
using Gateway.Fhir.Telemetry;
using Gateway.Jobs.Coordination;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// Drains <c>notification_outbox</c> (SPEC §7): at least once, one row at a time per target in the
/// order the changes committed, retried with doubling backoff. After
/// <see cref="JobsOptions.DeliveryAttempts"/> failures a Subscription goes to <c>error</c> with
/// the reason and keeps its rows pending, so setting it back to requested or active resumes
/// from the first undelivered one; a webhook row is marked failed and the next one goes; a
/// partner-FHIR row (a referral copied to its owner's server) keeps being tried at the longest backoff.
/// The rows are the truth: this may run anywhere, any number of times, and only loses time.
/// </summary>
public sealed class OutboxDelivery(
    NpgsqlDataSource dataSource, OutboxRows rows, Heartbeats heartbeats, ResourceStore store, RestHookSender restHooks, ReferralWebhookSender webhooks,
    CoordinationSender coordination, JobsOptions options, TimeProvider clock, ILogger<OutboxDelivery> logger)
{
    /// <summary>Enqueues the heartbeats due, delivers every due row, then returns. One drain at a time across all processes (an advisory lock), which keeps the order per target.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended('notification_outbox', 0))", connection))
        {
            if (await lockCommand.ExecuteScalarAsync(ct) is not true)
            {
                return;
            }
        }

        try
        {
            await heartbeats.EnqueueDueAsync(ct);
            while (await DeliverDueAsync(ct) > 0)
            {
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended('notification_outbox', 0))", connection);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var attempted = 0;
        foreach (var row in await rows.HeadsAsync(ct))
        {
            if (row.NextAttemptAt > clock.GetUtcNow())
            {
                continue;
            }

            var tried = row.Kind switch
            {
                NotificationOutbox.ReferralWebhook => await AttemptedAsync(row, await webhooks.SendAsync(row, row.Target["webhook/".Length..], ct), ct),
                NotificationOutbox.PartnerFhir => await PartnerFhirAsync(row, ct),
                _ => await SubscriptionAsync(row, ct),
            };
            attempted += tried ? 1 : 0;
        }

        return attempted;
    }

    // A referral copied to its owner's FHIR server must get there: past DeliveryAttempts the row keeps
    // being tried at the longest backoff, loudly, rather than given up (its target is the one Task).
    private async Task<bool> PartnerFhirAsync(OutboxRow row, CancellationToken ct)
    {
        var result = await coordination.SendAsync(row, ct);
        if (result.Delivered || row.Attempts + 1 < options.DeliveryAttempts)
        {
            return await AttemptedAsync(row, result, ct);
        }

        GatewayTelemetry.DeliveryAttempted(row.Kind, "retry");
        logger.LogWarning("Outbox row {Row} ({Target}) failed {Attempts} times; trying again in {Wait}: {Error}", row.Id, row.Target, row.Attempts + 1, options.DeliveryMaxBackoff, result.Error);
        await rows.RetryAsync(row, result.Error!, clock.GetUtcNow() + options.DeliveryMaxBackoff, row.Attempts + 1, ct);
        return true;
    }

    // A webhook row: retried with backoff, then given up (marked failed) so the target's next row goes.
    private async Task<bool> AttemptedAsync(OutboxRow row, DeliveryResult result, CancellationToken ct)
    {
        Measure(row, result.Delivered);
        if (result.Delivered)
        {
            await rows.DeliveredAsync(row, clock.GetUtcNow(), ct);
        }
        else if (row.Attempts + 1 >= options.DeliveryAttempts)
        {
            logger.LogWarning("Outbox row {Row} ({Target}) failed {Attempts} times and is given up: {Error}", row.Id, row.Target, row.Attempts + 1, result.Error);
            await rows.FailedAsync(row, result.Error!, ct);
        }
        else
        {
            await RetryAsync(row, result.Error!, ct);
        }

        return true;
    }

    private async Task<bool> SubscriptionAsync(OutboxRow row, CancellationToken ct)
    {
        var id = row.Target["Subscription/".Length..];
        Subscription subscription;
        try
        {
            subscription = (Subscription)(await store.ReadAsync("Subscription", id, ct)).Resource!;
        }
        catch (FhirException)
        {
            await rows.FailTargetAsync(row.Target, $"{row.Target} no longer exists.", ct);
            return true;
        }

        if (row.Kind == NotificationOutbox.Handshake)
        {
            return await HandshakeAsync(row, subscription, ct);
        }

        if (subscription.Status != Subscription.SubscriptionStatus.Active)
        {
            // Requested, error or off: the rows wait for the client to (re)activate it.
            return false;
        }

        // A topic-based Subscription's notification tells of up to backport-max-count pending events at once.
        IReadOnlyList<OutboxRow> events = row.Kind == NotificationOutbox.Heartbeat ? [row]
            : await rows.EventsFromAsync(row, SubscriptionRules.Topic(subscription) is null ? 1 : BackportChannel.MaxCount(subscription), ct);
        var result = row.Kind == NotificationOutbox.Heartbeat
            ? await restHooks.HeartbeatAsync(subscription, ct)
            : await restHooks.NotifyAsync(subscription, events, ct);
        Measure(row, result.Delivered);
        if (result.Delivered)
        {
            await rows.DeliveredAsync(events, clock.GetUtcNow(), ct);
        }
        else if (row.Attempts + 1 >= options.DeliveryAttempts)
        {
            var reason = $"Notification {row.IdText} ({row.ResourceType}/{row.ResourceId}/_history/{row.ResourceVersion}) could not be delivered in {options.DeliveryAttempts} attempts; the last: {result.Error}";
            await SetStatusAsync(id, Subscription.SubscriptionStatus.Error, reason, ct);
            // Pending again from the start, for when the client re-activates the Subscription.
            await rows.RetryAsync(row, result.Error!, clock.GetUtcNow(), 0, ct);
        }
        else
        {
            await RetryAsync(row, result.Error!, ct);
        }

        return true;
    }

    private async Task<bool> HandshakeAsync(OutboxRow row, Subscription subscription, CancellationToken ct)
    {
        if (subscription.Status != Subscription.SubscriptionStatus.Requested)
        {
            await rows.SkippedAsync(row, $"{row.Target} was {subscription.Status} before the handshake.", clock.GetUtcNow(), ct);
            return true;
        }

        var result = await restHooks.HandshakeAsync(subscription, ct);
        Measure(row, result.Delivered);
        if (result.Delivered)
        {
            await SetStatusAsync(row.Target["Subscription/".Length..], Subscription.SubscriptionStatus.Active, null, ct);
            await rows.DeliveredAsync(row, clock.GetUtcNow(), ct);
        }
        else if (row.Attempts + 1 >= options.DeliveryAttempts)
        {
            await SetStatusAsync(row.Target["Subscription/".Length..], Subscription.SubscriptionStatus.Error, $"The handshake failed {options.DeliveryAttempts} times; the last: {result.Error}", ct);
            await rows.FailedAsync(row, result.Error!, ct);
        }
        else
        {
            await RetryAsync(row, result.Error!, ct);
        }

        return true;
    }

    // gateway.deliveries: "failed" is an attempt that was the last one allowed, "retry" one that will be tried again.
    private void Measure(OutboxRow row, bool delivered) =>
        GatewayTelemetry.DeliveryAttempted(row.Kind, delivered ? "delivered" : row.Attempts + 1 >= options.DeliveryAttempts ? "failed" : "retry");

    private Task RetryAsync(OutboxRow row, string error, CancellationToken ct)
    {
        logger.LogInformation("Delivery of outbox row {Row} to {Target} failed (attempt {Attempt}): {Error}", row.Id, row.Target, row.Attempts + 1, error);
        var wait = options.DeliveryBackoff * Math.Pow(2, Math.Min(row.Attempts, 20));
        return rows.RetryAsync(row, error, clock.GetUtcNow() + (wait < options.DeliveryMaxBackoff ? wait : options.DeliveryMaxBackoff), row.Attempts + 1, ct);
    }

    private async Task SetStatusAsync(string id, Subscription.SubscriptionStatus status, string? error, CancellationToken ct)
    {
        if (status == Subscription.SubscriptionStatus.Error)
        {
            logger.LogWarning("Subscription/{Id} set to error: {Error}", id, error);
        }

        await store.WriteAsync(writer => writer.PatchAsync("Subscription", id, null, resource =>
        {
            var subscription = (Subscription)resource;
            subscription.Status = status;
            subscription.Error = error;
            return subscription;
        }, ct), ct);
    }
}
