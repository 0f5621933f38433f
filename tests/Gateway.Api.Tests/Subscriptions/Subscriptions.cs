using System.Net;
using Gateway.Testing;
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
