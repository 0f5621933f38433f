using System.Net.Http.Headers;
using System.Text;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Subscriptions;
using Hl7.Fhir.Model;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// A Subscription's rest-hook POSTs (FHIR R4 subscription.html#2.46.7.1): the handshake and the
/// notifications, empty or the changed version as FHIR JSON as <c>channel.payload</c> says, with
/// the <c>channel.header</c> values as headers.
/// </summary>
public sealed class RestHookSender(DeliveryHttp http, OutboxRows rows)
{
    public Task<DeliveryResult> HandshakeAsync(Subscription subscription, CancellationToken ct) =>
        http.SendAsync(Request(subscription, null), ct, partnerGiven: true);

    public async Task<DeliveryResult> NotifyAsync(Subscription subscription, OutboxRow row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Resource? body = SubscriptionRules.Content(subscription) switch
        {
            SubscriptionRules.IdOnly => IdOnlyNotification.Bundle(subscription, row),
            SubscriptionRules.FullResource when await rows.VersionBodyAsync(row, ct) is { } stored => FhirSerialization.FromStoredJson(stored),
            _ => null,
        };
        HttpContent? content = null;
        if (body is not null)
        {
            content = new StringContent(FhirSerialization.ToJson(body), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue(SubscriptionRules.FhirJson) { CharSet = "utf-8" };
        }

        using var request = Request(subscription, content);
        return await http.SendAsync(request, ct, partnerGiven: true);
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
