using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;

namespace Gateway.Api.Tests.Delivery;

/// <summary>SPEC §6: a partner with a referralWebhook receives its referrals as referral/v1, signed, with a request id stable across retries.</summary>
public sealed class ReferralWebhookTests(DeliveryGatewayApp gateway) : IClassFixture<DeliveryGatewayApp>
{
    private readonly NotificationReceiver _receiver = gateway.Receiver;

    [Fact]
    public async Task A_routed_referral_is_posted_as_signed_referral_v1_with_a_request_id()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);

        var received = (await _receiver.WaitForAsync(DeliveryGatewayApp.WebhookPath, r => r.Any(ForTask(task.Id)))).First(ForTask(task.Id));

        Assert.Equal("sha256=" + Signature(received.Body), received.Header("X-Gateway-Signature"));
        Assert.True(long.TryParse(received.Header("X-Request-ID"), out _), received.Header("X-Request-ID"));
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("referral/v1", body.RootElement.GetProperty("format").GetString());
        Assert.Equal(TestPartners.Housing, body.RootElement.GetProperty("to").GetProperty("partner").GetString());
        Assert.StartsWith("application/json", received.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_carries_the_same_request_id_and_the_same_signed_body()
    {
        _receiver.FailPath(DeliveryGatewayApp.WebhookPath);
        try
        {
            var referral = await Referrals.SendUkSampleAsync(gateway.Client);
            var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);

            var received = await _receiver.WaitForAsync(DeliveryGatewayApp.WebhookPath,
                r => r.Where(ForTask(task.Id)).GroupBy(x => x.Header("X-Request-ID")).Any(g => g.Count() >= 2));

            var retried = received.Where(ForTask(task.Id)).GroupBy(x => x.Header("X-Request-ID")).First(g => g.Count() >= 2).ToList();
            Assert.All(retried, r => Assert.Equal(retried[0].Body, r.Body));
            Assert.All(retried, r => Assert.Equal("sha256=" + Signature(r.Body), r.Header("X-Gateway-Signature")));
        }
        finally
        {
            _receiver.FailPath(DeliveryGatewayApp.WebhookPath, failing: false);
        }
    }

    [Fact]
    public async Task Without_its_signing_secret_the_delivery_fails_saying_so()
    {
        Environment.SetEnvironmentVariable(gateway.WebhookSecretEnv, null);
        try
        {
            var referral = await Referrals.SendUkSampleAsync(gateway.Client);
            var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);

            var error = await WaitForErrorAsync(task.Id);

            Assert.Contains(gateway.WebhookSecretEnv, error, StringComparison.Ordinal);
            Assert.DoesNotContain(_receiver.On(DeliveryGatewayApp.WebhookPath), r => ForTask(task.Id)(r));
        }
        finally
        {
            Environment.SetEnvironmentVariable(gateway.WebhookSecretEnv, DeliveryGatewayApp.WebhookSecret);
        }
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_the_referral_is_not_counted_as_delivered()
    {
        // Issue 17 item 12: a 307 to another local listener was followed and its 200 counted as delivered.
        await using var elsewhere = new NotificationReceiver();
        await elsewhere.StartAsync();
        _receiver.RedirectPath(DeliveryGatewayApp.WebhookPath, elsewhere.Url("internal"));
        try
        {
            var referral = await Referrals.SendUkSampleAsync(gateway.Client);
            var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);

            var error = await WaitForErrorAsync(task.Id);

            Assert.Contains("307", error, StringComparison.Ordinal);
            Assert.Contains("redirects are not followed", error, StringComparison.Ordinal);
            Assert.Empty(elsewhere.Requests);
            await using var state = gateway.Database.CreateCommand("select count(*) from notification_outbox where kind = 'referral-webhook' and resource_id = $1 and state = 'delivered'");
            state.Parameters.Add(new() { Value = task.Id });
            Assert.Equal(0L, await state.ExecuteScalarAsync());
        }
        finally
        {
            _receiver.RedirectPath(DeliveryGatewayApp.WebhookPath, null);
        }
    }

    private static Func<ReceivedRequest, bool> ForTask(string taskId) =>
        r => JsonDocument.Parse(r.Body).RootElement.GetProperty("gatewayTaskId").GetString() == taskId;

    private static string Signature(byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(DeliveryGatewayApp.WebhookSecret), body));

    private async Task<string> WaitForErrorAsync(string taskId)
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var command = gateway.Database.CreateCommand(
                "select last_error from notification_outbox where kind = 'referral-webhook' and resource_id = $1 and last_error is not null order by id limit 1");
            command.Parameters.Add(new() { Value = taskId });
            if (await command.ExecuteScalarAsync() is string error)
            {
                return error;
            }

            Assert.True(DateTimeOffset.UtcNow < until, $"No failed webhook delivery for Task/{taskId} was recorded.");
            await Task.Delay(50);
        }
    }
}
