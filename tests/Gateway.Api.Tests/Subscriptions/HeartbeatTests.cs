using Gateway.Fhir.Subscriptions;
using Gateway.Testing;
using Hl7.Fhir.Model;

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
}
