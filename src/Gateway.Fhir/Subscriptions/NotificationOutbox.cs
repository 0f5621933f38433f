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
        foreach (var change in changes)
        {
            await EnqueueAsync(gateway, change, candidates, ct);
        }
    }

    private async Task EnqueueAsync(ResourceWriter gateway, ResourceChange change, Dictionary<string, List<(string, string, Subscription)>> candidates, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(change);
        switch (change.Current)
        {
            case Subscription { Status: Subscription.SubscriptionStatus.Requested } subscription:
                await InsertAsync(gateway, Handshake, "Subscription/" + subscription.Id, change, ct);
                break;
            case FhirTask task when ReferralTask.OwnerId(task) is { } owner && partners.Find(owner)?.ReferralWebhook is not null:
                await InsertAsync(gateway, ReferralWebhook, WebhookTarget(owner), change, ct);
                break;
        }

        if (change.Current is FhirTask referral && ReferralTask.OwnerId(referral) is { } performer && partners.Find(performer)?.FhirEndpoint is not null
            && CoordinatedReferral.IsDue(change.Previous as FhirTask, referral))
        {
            await InsertAsync(gateway, PartnerFhir, PartnerFhirTarget(performer, change.Id), change, ct);
        }

        if (change.Current is not null && SubscriptionRules.Watches(change.ResourceType))
        {
            foreach (var subscription in await SubscriptionMatching.MatchesAsync(gateway, change, partners, candidates, ct))
            {
                var eventNumber = await SubscriptionEvents.NextAsync(gateway, subscription, ct);
                await InsertAsync(gateway, SubscriptionKind, "Subscription/" + subscription, change, ct, eventNumber);
            }
        }
    }

    private static async Task InsertAsync(ResourceWriter gateway, string kind, string target, ResourceChange change, CancellationToken ct, long? eventNumber = null)
    {
        await using var command = gateway.Command();
        command.CommandText = """
            insert into notification_outbox (kind, target, resource_type, resource_id, resource_version, created_at, next_attempt_at, event_number)
            values ($1, $2, $3, $4, $5, $6, $6, $7)
            """;
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = target });
        command.Parameters.Add(new() { Value = change.ResourceType });
        command.Parameters.Add(new() { Value = change.Id });
        command.Parameters.Add(new() { Value = change.Version });
        command.Parameters.Add(new() { Value = gateway.Now });
        command.Parameters.Add(new() { Value = (object?)eventNumber ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(ct);
    }
}
