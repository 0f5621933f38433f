using System.Net.Http.Headers;
using System.Text;
using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Subscriptions;
using Gateway.Jobs.Coordination;
using Hl7.Fhir.Model;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// A Subscription's rest-hook POSTs (FHIR R4 subscription.html#2.46.7.1): the handshake and the
/// notifications, with the <c>channel.header</c> values as headers. A classic Subscription gets an
/// empty body, the changed version, or an id-only bundle, as <c>channel.payload</c> says; a
/// topic-based one always a Backport notification bundle (<see cref="NotificationBundle"/>), and
/// heartbeats; each within the Subscription's backport-timeout when it sets one.
/// </summary>
public sealed class RestHookSender(DeliveryHttp http, OutboxRows rows, PartnerDirectory partners, GatewayFhirBase gatewayBase)
{
    public async Task<DeliveryResult> HandshakeAsync(Subscription subscription, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Resource? body = null;
        if (SubscriptionRules.Topic(subscription) is not null)
        {
            body = NotificationBundle.Handshake(subscription, await rows.EventsSinceStartAsync(subscription.Id!, ct));
        }

        using var request = Request(subscription, Content(body));
        return await http.SendAsync(request, ct, partnerGiven: true, BackportChannel.Timeout(subscription));
    }

    /// <param name="events">Oldest first; more than one only for a topic-based Subscription (backport-max-count).</param>
    public async Task<DeliveryResult> NotifyAsync(Subscription subscription, IReadOnlyList<OutboxRow> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(events);
        var content = SubscriptionRules.Content(subscription);
        var told = new List<(OutboxRow, Resource?)>();
        foreach (var row in events)
        {
            told.Add((row, content == SubscriptionRules.FullResource ? await SubscriberViewAsync(subscription, row, ct) : null));
        }

        Resource? body = SubscriptionRules.Topic(subscription) is not null || content == SubscriptionRules.IdOnly
            ? NotificationBundle.EventNotification(subscription, told, content, gatewayBase.Url)
            : told[0].Item2;
        using var request = Request(subscription, Content(body));
        return await http.SendAsync(request, ct, partnerGiven: true, BackportChannel.Timeout(subscription));
    }

    public async Task<DeliveryResult> HeartbeatAsync(Subscription subscription, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var body = NotificationBundle.Heartbeat(subscription, await rows.EventsSinceStartAsync(subscription.Id!, ct));
        using var request = Request(subscription, Content(body));
        return await http.SendAsync(request, ct, partnerGiven: true, BackportChannel.Timeout(subscription));
    }

    // The changed version as its subscriber may receive it (DataMinimisation), as the subscriber's own read would give it.
    private async Task<Resource?> SubscriberViewAsync(Subscription subscription, OutboxRow row, CancellationToken ct)
    {
        if (await rows.VersionBodyAsync(row, ct) is not { } stored)
        {
            return null;
        }

        var partner = await rows.CreatorAsync(subscription.Id!, ct) is { } creator ? partners.Find(creator) : null;
        var subscriber = partner is null ? null : new CallingPartner("subscription", partner.Id, partner.Kind, SmartScopes.Parse(null));
        return DataMinimisation.ForPartner(FhirSerialization.FromStoredJson(stored), subscriber);
    }

    private static StringContent? Content(Resource? body)
    {
        if (body is null)
        {
            return null;
        }

        var content = new StringContent(FhirSerialization.ToJson(body), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(SubscriptionRules.FhirJson) { CharSet = "utf-8" };
        return content;
    }

    private static HttpRequestMessage Request(Subscription subscription, HttpContent? content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, subscription.Channel.Endpoint) { Content = content };
        foreach (var header in subscription.Channel.Header.OfType<string>())
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                request.Headers.TryAddWithoutValidation(header[..colon].Trim(), header[(colon + 1)..].Trim());
            }
        }

        return request;
    }
}
