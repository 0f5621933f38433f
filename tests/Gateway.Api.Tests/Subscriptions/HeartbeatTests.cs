using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Subscriptions;
using Gateway.Jobs.Delivery;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Subscriptions;

/// <summary>A gateway running its jobs on a clock the test moves, with a <see cref="NotificationReceiver"/> for its deliveries.</summary>
public sealed class ClockedDeliveryGatewayApp : ClockedJobsGatewayApp
{
    public NotificationReceiver Receiver { get; } = new();

    public override async System.Threading.Tasks.Task InitializeAsync()
    {
        await Receiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async System.Threading.Tasks.Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>Issue 17 item 15: backport-heartbeat-period, a heartbeat notification when nothing was sent for that long (Backport IG STU 1.1).</summary>
public sealed class HeartbeatTests(ClockedDeliveryGatewayApp gateway) : IClassFixture<ClockedDeliveryGatewayApp>
{
    private readonly NotificationReceiver _receiver = gateway.Receiver;

    private static Bundle Notification(ReceivedRequest request) => FhirHttp.Parse<Bundle>(request.BodyText);

    private static string Type(ReceivedRequest request) => Subscriptions.Value(Subscriptions.Status(Notification(request)), "type")!;

    [Fact]
    public async System.Threading.Tasks.Task A_heartbeat_comes_when_nothing_was_sent_for_the_heartbeat_period_and_only_to_who_asked()
    {
        var beating = $"beating/{Guid.NewGuid():N}";
        var quiet = $"quiet/{Guid.NewGuid():N}";
        var asked = Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(beating), [$"Task?requester=Organization/{TestPartners.Gp}"]);
        asked.Channel.SetExtension(Backport.HeartbeatPeriod, new UnsignedInt(60));
        var withHeartbeat = await gateway.Client.CreateAsync(asked);
        var without = await gateway.Client.CreateAsync(Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(quiet), [$"Task?requester=Organization/{TestPartners.Gp}"]));
        await Subscriptions.ActiveAsync(gateway.Client, withHeartbeat.Id);
        await Subscriptions.ActiveAsync(gateway.Client, without.Id);

        gateway.Clock.Advance(TimeSpan.FromSeconds(61));

        var received = await _receiver.WaitForAsync(beating, r => r.Any(n => Type(n) == Backport.Heartbeat));
        var heartbeat = Notification(Assert.Single(received, n => Type(n) == Backport.Heartbeat));
        Assert.Equal(Bundle.BundleType.History, heartbeat.Type);
        Assert.Single(heartbeat.Entry);
        var status = Subscriptions.Status(heartbeat);
        Assert.Equal($"Subscription/{withHeartbeat.Id}", ((ResourceReference)status.Parameter.Single(p => p.Name == "subscription").Value).Reference);
        Assert.Equal("0", Subscriptions.Value(status, "events-since-subscription-start"));
        Assert.Empty(Subscriptions.Events(status));
        // Both were looked at in the same drain that sent the heartbeat.
        Assert.All(_receiver.On(quiet), n => Assert.Equal(Backport.Handshake, Type(n)));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_notification_restarts_the_heartbeat_period()
    {
        var path = $"reset/{Guid.NewGuid():N}";
        var asked = Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(path), [$"Task?requester=Organization/{TestPartners.Gp}"]);
        asked.Channel.SetExtension(Backport.HeartbeatPeriod, new UnsignedInt(60));
        var subscription = await gateway.Client.CreateAsync(asked);
        await Subscriptions.ActiveAsync(gateway.Client, subscription.Id);
        var heartbeats = gateway.Services.GetRequiredService<Heartbeats>();

        gateway.Clock.Advance(TimeSpan.FromSeconds(50));
        await Referrals.SendUkSampleAsync(gateway.Client);
        await _receiver.WaitForAsync(path, r => r.Any(n => Type(n) == Backport.EventNotification));
        await WaitForNothingPendingAsync(subscription.Id);
        gateway.Clock.Advance(TimeSpan.FromSeconds(20));

        // 70 s after the handshake, but 20 s after the last notification: none due.
        await heartbeats.EnqueueDueAsync(CancellationToken.None);
        await using (var rows = gateway.Database.CreateCommand("select count(*) from notification_outbox where target = $1 and kind = 'heartbeat'"))
        {
            rows.Parameters.Add(new() { Value = "Subscription/" + subscription.Id });
            Assert.Equal(0L, await rows.ExecuteScalarAsync());
        }

        gateway.Clock.Advance(TimeSpan.FromSeconds(41));

        await _receiver.WaitForAsync(path, r => r.Any(n => Type(n) == Backport.Heartbeat));
    }

    private async System.Threading.Tasks.Task WaitForNothingPendingAsync(string subscriptionId)
    {
        var pending = await ClockedJobsGatewayApp.EventuallyAsync(async () =>
        {
            await using var command = gateway.Database.CreateCommand("select count(*) from notification_outbox where target = $1 and state = 'pending'");
            command.Parameters.Add(new() { Value = "Subscription/" + subscriptionId });
            return (long)(await command.ExecuteScalarAsync())!;
        }, count => count == 0);
        Assert.Equal(0L, pending);
    }
}
