using System.Net;
using Gateway.Testing;
using Gateway.Fhir.Subscriptions;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Subscriptions;

/// <summary>Makes rest-hook Subscriptions over HTTP and waits on what the gateway says of them.</summary>
internal static class Subscriptions
{
    public static Subscription RestHook(string criteria, Uri endpoint, Subscription.SubscriptionStatus status = Subscription.SubscriptionStatus.Requested,
        string? payload = null, params string[] headers) => new()
    {
        Status = status,
        Reason = "Progress of my referrals",
        Criteria = criteria,
        Channel = new Subscription.ChannelComponent
        {
            Type = Subscription.SubscriptionChannelType.RestHook,
            Endpoint = endpoint.ToString(),
            Payload = payload,
            Header = [.. headers],
        },
    };

    public const string TaskChanges = "https://interop-gateway.example/fhir/SubscriptionTopic/task-changes";

    /// <summary>A topic-based Subscription (Backport IG) on <paramref name="topic"/>, each filter a backport-filter-criteria; no payload content means the gateway's default.</summary>
    public static Subscription Topic(string topic, Uri endpoint, string[] filters, Subscription.SubscriptionStatus status = Subscription.SubscriptionStatus.Requested, string? content = null)
    {
        var subscription = RestHook(topic, endpoint, status, "application/fhir+json");
        subscription.Meta = new Meta { Profile = [Backport.SubscriptionProfile] };
        subscription.CriteriaElement.Extension = [.. filters.Select(f => new Extension(Backport.FilterCriteria, new FhirString(f)))];
        if (content is not null)
        {
            subscription.Channel.PayloadElement.SetExtension(Backport.PayloadContent, new Code(content));
        }

        return subscription;
    }

    /// <summary>The SubscriptionStatus (first entry) of a notification bundle.</summary>
    public static Parameters Status(Bundle notification) => Assert.IsType<Parameters>(notification.Entry[0].Resource);

    public static string? Value(Parameters status, string name) => status.Parameter.SingleOrDefault(p => p.Name == name)?.Value?.ToString();

    /// <summary>Each notification-event of the status: its number and focus reference (null when none).</summary>
    public static List<(long Number, string? Focus)> Events(Parameters status) =>
        [.. status.Parameter.Where(p => p.Name == "notification-event").Select(e => (
            long.Parse(e.Part.Single(p => p.Name == "event-number").Value.ToString()!, System.Globalization.CultureInfo.InvariantCulture),
            (e.Part.SingleOrDefault(p => p.Name == "focus")?.Value as ResourceReference)?.Reference))];

    /// <summary>Polls the Subscription until <paramref name="done"/> holds; fails with its last state after 30 s.</summary>
    public static async Task<Subscription> WaitForAsync(HttpClient client, string id, Func<Subscription, bool> done)
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync($"Subscription/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var subscription = await response.ReadResourceAsync<Subscription>();
            if (done(subscription))
            {
                return subscription;
            }

            if (DateTimeOffset.UtcNow > until)
            {
                throw new TimeoutException($"Subscription/{id} stayed {subscription.Status} ({subscription.Error}).");
            }

            await Task.Delay(50);
        }
    }

    public static Task<Subscription> ActiveAsync(HttpClient client, string id) =>
        WaitForAsync(client, id, s => s.Status == Subscription.SubscriptionStatus.Active);
}
