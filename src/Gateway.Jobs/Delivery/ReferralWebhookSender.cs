using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Mapping.ReferralOut;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// A referral as referral/v1 to the owning partner's webhook (SPEC §6): the body signed with
/// HMAC-SHA256 under the secret in the environment variable the partners file names
/// (<c>X-Gateway-Signature: sha256=hex</c>), and the outbox row's id as <c>X-Request-ID</c>, the
/// same on every retry so the receiver can drop a repeat.
/// </summary>
public sealed class ReferralWebhookSender(DeliveryHttp http, OutboxRows rows, OutboundReferrals referrals, PartnerDirectory partners)
{
    public const string SignatureHeader = "X-Gateway-Signature";
    public const string RequestIdHeader = "X-Request-ID";

    public async Task<DeliveryResult> SendAsync(OutboxRow row, string partnerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (partners.Find(partnerId)?.ReferralWebhook is not { } webhook)
        {
            return DeliveryResult.Failure($"{partnerId} has no referralWebhook in the partners file.");
        }

        var secret = webhook.SigningSecretEnv is { } name ? Environment.GetEnvironmentVariable(name) : null;
        if (string.IsNullOrEmpty(secret))
        {
            return DeliveryResult.Failure(webhook.SigningSecretEnv is null
                ? $"The referralWebhook of {partnerId} names no signingSecretEnv; referrals are never sent unsigned."
                : $"The environment variable {webhook.SigningSecretEnv} (signingSecretEnv of {partnerId}) is not set; referrals are never sent unsigned.");
        }

        var body = await rows.PayloadAsync(row, async () =>
        {
            var stored = await rows.VersionBodyAsync(row, ct) ?? throw new InvalidOperationException($"Task/{row.ResourceId}/_history/{row.ResourceVersion} is a deletion.");
            var referral = await referrals.MapAsync(stored, partnerId, ct);
            return JsonSerializer.Serialize(referral, ReferralV1JsonContext.Default.ReferralV1);
        }, ct);
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(RequestIdHeader, row.IdText);
        request.Headers.Add(SignatureHeader, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        return await http.SendAsync(request, ct);
    }
}
