using System.Net;
using System.Text.Json;
using Gateway.Fhir.Subscriptions;
using Gateway.Testing;
using Subscription = Hl7.Fhir.Model.Subscription;
using SubscriptionHelpers = Gateway.Api.Tests.Subscriptions.Subscriptions;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// Issue 21, item 9: failing deliveries get Retry and Re-activate buttons whose use is in the audit
/// trail, and a referral's timeline says what really became of each delivery.
/// </summary>
public sealed class ConsoleDeliveryActionsTests(DeliveryGatewayApp gateway) : IClassFixture<DeliveryGatewayApp>
{
    [Fact]
    public async Task A_subscription_in_error_holds_its_notifications_until_an_operator_reactivates_it()
    {
        var path = $"held/{Guid.NewGuid():N}";
        gateway.Receiver.FailPath(path);
        var subscription = await gateway.Client.CreateAsync(SubscriptionHelpers.RestHook("Task?status=requested", gateway.Receiver.Url(path)));
        await SubscriptionHelpers.WaitForAsync(gateway.Client, subscription.Id, s => s.Status == Subscription.SubscriptionStatus.Error);
        var taskId = await ConsoleReferrals.SendAsync(gateway.Client, Resources.NewNhsNumber(), "SP-" + Guid.NewGuid().ToString("N"));
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);
        var target = $"Subscription/{subscription.Id}";

        var held = await DeliveryAsync(client, taskId, target, _ => true);
        Assert.Contains($"to {target}: held: {target} is error; sent once it is active again", held, StringComparison.Ordinal);

        gateway.Receiver.FailPath(path, failing: false);
        using var reactivate = await ConsoleHttp.PostFormAsync(client, "console/subscriptions", $"console/subscriptions/{subscription.Id}/reactivate", new());
        Assert.Equal(HttpStatusCode.Redirect, reactivate.StatusCode);
        Assert.Contains($"{target} is requested again", WebUtility.HtmlDecode(await client.GetStringAsync(reactivate.Headers.Location)), StringComparison.Ordinal);

        await SubscriptionHelpers.WaitForAsync(gateway.Client, subscription.Id, s => s.Status == Subscription.SubscriptionStatus.Active);
        await DeliveryAsync(client, taskId, target, summary => summary.Contains(": delivered after", StringComparison.Ordinal));
        await AuditedAsync(target);
    }

    [Fact]
    public async Task Retry_sends_a_webhooks_failed_deliveries_again()
    {
        var target = NotificationOutbox.WebhookTarget(TestPartners.Housing);
        string taskId;
        gateway.Receiver.FailPath(DeliveryGatewayApp.WebhookPath);
        try
        {
            taskId = await ConsoleReferrals.SendAsync(gateway.Client, Resources.NewNhsNumber(), "SP-" + Guid.NewGuid().ToString("N"));
            await UntilAsync(async () => await FailedRowsAsync(target, taskId) > 0, $"The webhook delivery of Task/{taskId} never failed.");
        }
        finally
        {
            gateway.Receiver.FailPath(DeliveryGatewayApp.WebhookPath, failing: false);
        }

        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);
        Assert.Contains("name=\"retry\"", await client.GetStringAsync("console/subscriptions"), StringComparison.Ordinal);

        using var retry = await ConsoleHttp.PostFormAsync(client, "console/subscriptions", "console/deliveries/retry", new() { ["target"] = target });

        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        await DeliveryAsync(client, taskId, target, summary => summary.Contains(": delivered after", StringComparison.Ordinal));
        Assert.Equal(0, await FailedRowsAsync(target, taskId));
        await AuditedAsync($"Organization/{TestPartners.Housing}");
    }

    // The summary of the Task's delivery to the target on its console timeline, once it satisfies done.
    private static async Task<string> DeliveryAsync(HttpClient client, string taskId, string target, Func<string, bool> done)
    {
        string? last = null;
        await UntilAsync(async () =>
        {
            using var timeline = JsonDocument.Parse(await client.GetStringAsync($"console/api/referrals/{taskId}/timeline"));
            last = timeline.RootElement.GetProperty("events").EnumerateArray()
                .Where(e => e.GetProperty("kind").GetString() == "delivery" && e.GetProperty("detail").GetProperty("target").GetString() == target)
                .Select(e => e.GetProperty("summary").GetString()).LastOrDefault();
            return last is not null && done(last);
        }, $"The timeline of Task/{taskId} never showed the delivery to {target} as expected; it said: {last}");
        return last!;
    }

    private async Task<long> FailedRowsAsync(string target, string taskId)
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from notification_outbox where target = $1 and resource_id = $2 and state = 'failed'");
        command.Parameters.Add(new() { Value = target });
        command.Parameters.Add(new() { Value = taskId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // The console's action is an AuditEvent naming the operator and what was acted on (written off the request path, so waited for).
    private Task AuditedAsync(string actedOn) => UntilAsync(async () =>
    {
        await using var command = gateway.Database.CreateCommand("""
            select count(*) from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = 'AuditEvent' and v.body -> 'agent' -> 0 ->> 'altId' = $1 and v.body -> 'entity' -> 0 -> 'what' ->> 'reference' = $2
            """);
        command.Parameters.Add(new() { Value = "operator:" + TestPartners.OperatorUser });
        command.Parameters.Add(new() { Value = actedOn });
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }, $"No AuditEvent names the operator's action on {actedOn}.");

    private static async Task UntilAsync(Func<Task<bool>> condition, string failure)
    {
        for (var tries = 0; !await condition(); tries++)
        {
            Assert.True(tries < 300, failure);
            await Task.Delay(100);
        }
    }
}
