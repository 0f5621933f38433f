using Hl7.Fhir.Model;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// An id-only notification as the R4 Subscriptions Backport IG shapes one: a history Bundle whose
/// first entry is the SubscriptionStatus (a Parameters) naming the changed version as the event's
/// focus, and an entry for that version without its content, so no personal data goes along.
/// </summary>
public static class IdOnlyNotification
{
    public const string StatusProfile = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4";

    public static Bundle Bundle(Subscription subscription, OutboxRow row)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(row);
        var focus = $"{row.ResourceType}/{row.ResourceId}/_history/{row.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var status = new Parameters { Id = Guid.NewGuid().ToString(), Meta = new Meta { Profile = [StatusProfile] } };
        status.Add("subscription", new ResourceReference("Subscription/" + subscription.Id));
        status.Add("status", new Code("active"));
        status.Add("type", new Code("event-notification"));
        status.Parameter.Add(new Parameters.ParameterComponent
        {
            Name = "notification-event",
            Part =
            [
                new Parameters.ParameterComponent { Name = "event-number", Value = new FhirString(row.IdText) },
                new Parameters.ParameterComponent { Name = "focus", Value = new ResourceReference(focus) },
            ],
        });
        return new Bundle
        {
            Type = Hl7.Fhir.Model.Bundle.BundleType.History,
            Entry =
            [
                new Bundle.EntryComponent
                {
                    Resource = status,
                    Request = new Bundle.RequestComponent { Method = Hl7.Fhir.Model.Bundle.HTTPVerb.GET, Url = $"Subscription/{subscription.Id}/$status" },
                    Response = new Bundle.ResponseComponent { Status = "200" },
                },
                new Bundle.EntryComponent
                {
                    Request = new Bundle.RequestComponent { Method = row.ResourceVersion == 1 ? Hl7.Fhir.Model.Bundle.HTTPVerb.POST : Hl7.Fhir.Model.Bundle.HTTPVerb.PUT, Url = focus },
                    Response = new Bundle.ResponseComponent { Status = row.ResourceVersion == 1 ? "201" : "200" },
                },
            ],
        };
    }
}
