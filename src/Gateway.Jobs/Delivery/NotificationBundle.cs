using Gateway.Fhir.Subscriptions;
using Hl7.Fhir.Model;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// A notification as the R4 Subscriptions Backport IG shapes one (backport-subscription-notification-r4):
/// a history Bundle whose first entry is the SubscriptionStatus Parameters, then, by payload content,
/// nothing (empty: not even the focus), the changed version without its content (id-only), or the
/// version itself (full-resource). Empty and id-only carry no personal data. One notification
/// carries up to the Subscription's <c>backport-max-count</c> events; a heartbeat none.
/// </summary>
public static class NotificationBundle
{
    public static Bundle Handshake(Subscription subscription, long eventsSinceStart) =>
        Of(subscription, SubscriptionStatusParameters.Build(subscription, Backport.Handshake, eventsSinceStart, []), []);

    /// <summary>Keeps the channel open when nothing happened for the heartbeat period (Backport IG, backport-heartbeat-period).</summary>
    public static Bundle Heartbeat(Subscription subscription, long eventsSinceStart) =>
        Of(subscription, SubscriptionStatusParameters.Build(subscription, Backport.Heartbeat, eventsSinceStart, []), []);

    /// <param name="events">The events, oldest first, each with the changed version as the subscriber may receive it (needed for full-resource, else ignored).</param>
    /// <param name="baseUrl">The gateway's FHIR base, for entries' fullUrl.</param>
    public static Bundle EventNotification(Subscription subscription, IReadOnlyList<(OutboxRow Row, Resource? Resource)> events, string content, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(events);
        var told = new List<NotificationEvent>();
        var entries = new List<Bundle.EntryComponent>();
        foreach (var (row, resource) in events)
        {
            var versioned = $"{row.ResourceType}/{row.ResourceId}/_history/{row.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            var focus = content == SubscriptionRules.Empty ? null : versioned;
            told.Add(new NotificationEvent(row.EventNumber ?? row.Id, row.CreatedAt, focus));
            if (focus is null)
            {
                continue;
            }

            var created = row.ResourceVersion == 1;
            entries.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl.TrimEnd('/')}/{row.ResourceType}/{row.ResourceId}",
                Resource = content == SubscriptionRules.FullResource ? resource : null,
                Request = new Bundle.RequestComponent { Method = created ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT, Url = created ? row.ResourceType : $"{row.ResourceType}/{row.ResourceId}" },
                Response = new Bundle.ResponseComponent { Status = created ? "201" : "200", Location = versioned },
            });
        }

        var status = SubscriptionStatusParameters.Build(subscription, Backport.EventNotification, told[^1].Number, told);
        return Of(subscription, status, entries);
    }

    private static Bundle Of(Subscription subscription, Parameters status, IEnumerable<Bundle.EntryComponent> entries)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Meta = new Meta { Profile = [Backport.NotificationProfile] },
            Type = Bundle.BundleType.History,
        };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + status.Id,
            Resource = status,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"Subscription/{subscription.Id}/$status" },
            Response = new Bundle.ResponseComponent { Status = "200" },
        });
        bundle.Entry.AddRange(entries);
        return bundle;
    }
}
