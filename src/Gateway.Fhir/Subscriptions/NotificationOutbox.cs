using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// Writes the notifications a change causes into <c>notification_outbox</c>, inside the change's
/// own transaction (<see cref="ResourceWriter"/> calls it before commit): a Subscription's
/// handshake when a client asks for one, a notification per Subscription the change matches, and
/// the referral/v1 webhook of the partner owning a changed referral Task.
/// </summary>
public sealed class NotificationOutbox(PartnerDirectory partners)
{
    public const string Handshake = "handshake";
    public const string Heartbeat = "heartbeat";
    public const string SubscriptionKind = "subscription";
    public const string ReferralWebhook = "referral-webhook";
    public const string PartnerFhir = "partner-fhir";

    /// <summary>The outbox target of a partner's referral webhook.</summary>
    public static string WebhookTarget(string partnerId) => "webhook/" + partnerId;

    /// <summary>The outbox target of a referral Task's copy at its owner's FHIR server: one per Task, so one refused referral holds up no other.</summary>
    public static string PartnerFhirTarget(string partnerId, string taskId) => $"partner-fhir/{partnerId}/{taskId}";

    /// <summary>
    /// A notification pass over a transaction's changes, once all of them are written: the
    /// Subscriptions that could match are read once per resource type, not once per change (none
    /// of them changes during the pass).
    /// </summary>
    public async Task EnqueueAllAsync(ResourceWriter gateway, IReadOnlyList<ResourceChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var candidates = new Dictionary<string, List<(string, string, Subscription)>>(StringComparer.Ordinal);
        var rows = new List<OutboxRow>();
        foreach (var change in changes)
        {
            await EnqueueAsync(gateway, change, candidates, rows, ct);
        }

        await InsertAsync(gateway, rows, ct);
    }

    /// <summary>A notification to write: what, to whom, about which version.</summary>
    private sealed record OutboxRow(string Kind, string Target, ResourceChange Change, long? EventNumber = null);

    private async Task EnqueueAsync(ResourceWriter gateway, ResourceChange change, Dictionary<string, List<(string, string, Subscription)>> candidates,
        List<OutboxRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(change);
        switch (change.Current)
        {
            case Subscription { Status: Subscription.SubscriptionStatus.Requested } subscription:
                rows.Add(new(Handshake, "Subscription/" + subscription.Id, change));
                break;
            case FhirTask task when ReferralTask.OwnerId(task) is { } owner && partners.Find(owner)?.ReferralWebhook is not null:
                rows.Add(new(ReferralWebhook, WebhookTarget(owner), change));
                break;
        }

        if (change.Current is FhirTask referral && ReferralTask.OwnerId(referral) is { } performer && partners.Find(performer)?.FhirEndpoint is not null
            && CoordinatedReferral.IsDue(change.Previous as FhirTask, referral))
        {
            rows.Add(new(PartnerFhir, PartnerFhirTarget(performer, change.Id), change));
        }

        if (change.Current is not null && SubscriptionRules.Watches(change.ResourceType))
        {
            foreach (var subscription in await SubscriptionMatching.MatchesAsync(gateway, change, partners, candidates, ct))
            {
                var eventNumber = await SubscriptionEvents.NextAsync(gateway, subscription, ct);
                rows.Add(new(SubscriptionKind, "Subscription/" + subscription, change, eventNumber));
            }
        }
    }

    // The pass's notifications in one statement (issue 18: a chunk of records makes one or two a
    // record), in the order of the changes: the delivery job sends a target's oldest first (by id).
    private static async Task InsertAsync(ResourceWriter gateway, List<OutboxRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = gateway.Command();
        command.CommandText = """
            insert into notification_outbox (kind, target, resource_type, resource_id, resource_version, created_at, next_attempt_at, event_number)
            select n.kind, n.target, n.resource_type, n.resource_id, n.resource_version, $6, $6, n.event_number
            from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $7::bigint[]) with ordinality n(kind, target, resource_type, resource_id, resource_version, event_number, position)
            order by n.position
            """;
        command.Parameters.Add(new() { Value = rows.Select(r => r.Kind).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Target).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Change.ResourceType).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Change.Id).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Change.Version).ToArray() });
        command.Parameters.Add(new() { Value = gateway.Now });
        command.Parameters.Add(new() { Value = rows.Select(r => r.EventNumber).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(ct);
    }
}
