using System.Globalization;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Subscriptions;

/// <summary>One event a notification tells of: its number, when it happened, and (unless the payload is empty) the changed version.</summary>
public sealed record NotificationEvent(long Number, DateTimeOffset Timestamp, string? Focus);

/// <summary>
/// The Backport IG's SubscriptionStatus in R4, a Parameters (backport-subscription-status-r4):
/// the first entry of every notification bundle and each entry of <c>$status</c>.
/// </summary>
public static class SubscriptionStatusParameters
{
    public static Parameters Build(Subscription subscription, string type, long eventsSinceStart, IEnumerable<NotificationEvent> events)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var status = new Parameters { Id = Guid.NewGuid().ToString(), Meta = new Meta { Profile = [Backport.StatusProfile] } };
        status.Add("subscription", new ResourceReference("Subscription/" + subscription.Id));
        if (SubscriptionRules.Topic(subscription) is { } topic)
        {
            status.Add("topic", new Canonical(topic.Url));
        }

        status.Add("status", new Code(subscription.Status is { } current ? Hl7.Fhir.Utility.EnumUtility.GetLiteral(current) : "requested"));
        status.Add("type", new Code(type));
        status.Add("events-since-subscription-start", new FhirString(eventsSinceStart.ToString(CultureInfo.InvariantCulture)));
        foreach (var notification in events)
        {
            var parts = new List<Parameters.ParameterComponent>
            {
                new() { Name = "event-number", Value = new FhirString(notification.Number.ToString(CultureInfo.InvariantCulture)) },
                new() { Name = "timestamp", Value = new Instant(notification.Timestamp) },
            };
            if (notification.Focus is not null)
            {
                parts.Add(new() { Name = "focus", Value = new ResourceReference(notification.Focus) });
            }

            status.Parameter.Add(new Parameters.ParameterComponent { Name = "notification-event", Part = parts });
        }

        if (subscription.Status == Subscription.SubscriptionStatus.Error && !string.IsNullOrEmpty(subscription.Error))
        {
            status.Add("error", new CodeableConcept { Text = subscription.Error });
        }

        return status;
    }
}
