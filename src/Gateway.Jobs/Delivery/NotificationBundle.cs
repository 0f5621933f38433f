using Gateway.Fhir.Subscriptions;
using Hl7.Fhir.Model;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// A notification as the R4 Subscriptions Backport IG shapes one (backport-subscription-notification-r4):
/// a history Bundle whose first entry is the SubscriptionStatus Parameters, then, by payload content,
/// nothing (empty: not even the focus), the changed version without its content (id-only), or the
/// version itself (full-resource). Empty and id-only carry no personal data.
/// </summary>
public static class NotificationBundle
{
    public static Bundle Handshake(Subscription subscription, long eventsSinceStart) =>
        Of(subscription, SubscriptionStatusParameters.Build(subscription, Backport.Handshake, eventsSinceStart, []), []);

    /// <param name="baseUrl">The gateway's FHIR base, for entries' fullUrl.</param>
    /// <param name="resource">The changed version as the subscriber may receive it; needed for full-resource, else ignored.</param>
    public static Bundle EventNotification(Subscription subscription, OutboxRow row, string content, string baseUrl, Resource? resource)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(row);
        var number = row.EventNumber ?? row.Id;
        var versioned = $"{row.ResourceType}/{row.ResourceId}/_history/{row.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var focus = content == SubscriptionRules.Empty ? null : versioned;
        var status = SubscriptionStatusParameters.Build(subscription, Backport.EventNotification, number, [new NotificationEvent(number, row.CreatedAt, focus)]);
        if (focus is null)
        {
            return Of(subscription, status, []);
        }

        var created = row.ResourceVersion == 1;
        var entry = new Bundle.EntryComponent
        {
            FullUrl = $"{baseUrl.TrimEnd('/')}/{row.ResourceType}/{row.ResourceId}",
            Resource = content == SubscriptionRules.FullResource ? resource : null,
            Request = new Bundle.RequestComponent { Method = created ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT, Url = created ? row.ResourceType : $"{row.ResourceType}/{row.ResourceId}" },
            Response = new Bundle.ResponseComponent { Status = created ? "201" : "200", Location = versioned },
        };
        return Of(subscription, status, [entry]);
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
