using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Subscriptions;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Subscriptions;

/// <summary>Issue 17 item 15: a topic-based Subscription's backport-timeout and backport-max-count are honoured (Backport IG STU 1.1).</summary>
public sealed class BackportChannelTests(DeliveryGatewayApp gateway) : IClassFixture<DeliveryGatewayApp>
{
    private readonly NotificationReceiver _receiver = gateway.Receiver;

    private static string NewPath(string who) => $"{who}/{Guid.NewGuid():N}";

    private static Bundle Notification(ReceivedRequest request) => FhirHttp.Parse<Bundle>(request.BodyText);

    private static string Type(ReceivedRequest request) => Subscriptions.Value(Subscriptions.Status(Notification(request)), "type")!;

    private Subscription GpTopic(string path) =>
        Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(path), [$"Task?requester=Organization/{TestPartners.Gp}"]);

    [Fact]
    public async System.Threading.Tasks.Task A_delivery_waits_only_as_long_as_the_backport_timeout_says()
    {
        var path = NewPath("gp");
        var asked = GpTopic(path);
        asked.Channel.SetExtension(Backport.Timeout, new UnsignedInt(1));
        var subscription = await gateway.Client.CreateAsync(asked);
        await Subscriptions.ActiveAsync(gateway.Client, subscription.Id);
        _receiver.Hold(path);
        try
        {
            await Referrals.SendUkSampleAsync(gateway.Client);

            var failed = await Subscriptions.WaitForAsync(gateway.Client, subscription.Id, s => s.Status == Subscription.SubscriptionStatus.Error);

            Assert.Contains("did not answer within 1 s", failed.Error, StringComparison.Ordinal);
        }
        finally
        {
            _receiver.Release(path);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_notification_tells_of_up_to_backport_max_count_pending_events()
    {
        var path = NewPath("gp");
        var asked = GpTopic(path);
        asked.Channel.SetExtension(Backport.MaxCount, new PositiveInt(2));
        // Long enough for the held delivery below to outlast the changes made meanwhile.
        asked.Channel.SetExtension(Backport.Timeout, new UnsignedInt(60));
        var subscription = await gateway.Client.CreateAsync(asked);
        await Subscriptions.ActiveAsync(gateway.Client, subscription.Id);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        FhirTask inProgress;
        _receiver.Hold(path);
        try
        {
            // The first notification is in flight while two more changes queue up behind it.
            var referral = await Referrals.SendUkSampleAsync(gateway.Client);
            await _receiver.WaitForAsync(path, r => r.Any(n => Type(n) == "event-notification"));
            var task = await housing.ReferralTaskAsync(referral.RequestId);
            var accepted = await Referrals.MoveAsync(housing, task, Status.Accepted);
            inProgress = await Referrals.MoveAsync(housing, accepted, Status.InProgress);
        }
        finally
        {
            _receiver.Release(path);
        }

        var last = $"Task/{inProgress.Id}/_history/{inProgress.Meta.VersionId}";
        var received = await _receiver.WaitForAsync(path, r => r.Any(n => Type(n) == "event-notification" && Subscriptions.Events(Subscriptions.Status(Notification(n))).Any(e => e.Focus == last)));

        var told = received.Where(n => Type(n) == "event-notification").Select(n => Subscriptions.Events(Subscriptions.Status(Notification(n)))).ToList();
        Assert.All(told, events => Assert.InRange(events.Count, 1, 2));
        Assert.Contains(told, events => events.Count == 2);
        var numbers = told.SelectMany(events => events.Select(e => e.Number)).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(i => (long)i), numbers);
    }
}
