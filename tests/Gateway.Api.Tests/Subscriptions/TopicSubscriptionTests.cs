using System.Net;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Subscriptions;

/// <summary>
/// SPEC §7, the R4 Subscriptions Backport IG's topic-based form: a topic and filters instead of a
/// search, notified with Backport notification bundles over real HTTP by the jobs, as the
/// subscriber may see the change, and reported by <c>$status</c>.
/// </summary>
public sealed class TopicSubscriptionTests(DeliveryGatewayApp gateway) : IClassFixture<DeliveryGatewayApp>
{
    private readonly NotificationReceiver _receiver = gateway.Receiver;

    private static string NewPath(string who) => $"{who}/{Guid.NewGuid():N}";

    private static Bundle Notification(ReceivedRequest request) => FhirHttp.Parse<Bundle>(request.BodyText);

    private static string Type(ReceivedRequest request) => Subscriptions.Value(Subscriptions.Status(Notification(request)), "type")!;

    private static bool Focuses(ReceivedRequest request, string reference) =>
        Type(request) == "event-notification" && Subscriptions.Events(Subscriptions.Status(Notification(request))).Any(e => e.Focus == reference);

    [Fact]
    public async Task A_gp_hears_of_its_referral_task_being_accepted_after_a_handshake_with_numbered_id_only_notifications()
    {
        var path = NewPath("gp");
        var subscription = await gateway.Client.CreateAsync(Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(path), [$"Task?requester=Organization/{TestPartners.Gp}"]));
        await Subscriptions.ActiveAsync(gateway.Client, subscription.Id);
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var task = await housing.ReferralTaskAsync(referral.RequestId);

        var accepted = await Referrals.MoveAsync(housing, task, Status.Accepted);

        var acceptedFocus = $"Task/{task.Id}/_history/{accepted.Meta.VersionId}";
        var received = await _receiver.WaitForAsync(path, r => r.Any(n => Focuses(n, acceptedFocus)));
        var handshake = Subscriptions.Status(Notification(received[0]));
        Assert.Equal(("handshake", $"Subscription/{subscription.Id}", Subscriptions.TaskChanges, "0"),
            (Subscriptions.Value(handshake, "type"), ((ResourceReference)handshake.Parameter.Single(p => p.Name == "subscription").Value).Reference,
             Subscriptions.Value(handshake, "topic"), Subscriptions.Value(handshake, "events-since-subscription-start")));
        var notifications = received.Skip(1).Select(Notification).ToList();
        Assert.All(notifications, n => Assert.Equal((Bundle.BundleType.History, "event-notification"), (n.Type, Subscriptions.Value(Subscriptions.Status(n), "type"))));
        var numbers = notifications.SelectMany(n => Subscriptions.Events(Subscriptions.Status(n))).Select(e => e.Number).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(i => (long)i), numbers);
        Assert.All(notifications, n => Assert.Equal(
            Subscriptions.Events(Subscriptions.Status(n)).Single().Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Subscriptions.Value(Subscriptions.Status(n), "events-since-subscription-start")));
        // id-only, the default: the Task is named (fullUrl, request) but none of its content comes along.
        var last = notifications[^1];
        Assert.Equal(2, last.Entry.Count);
        Assert.Null(last.Entry[1].Resource);
        Assert.EndsWith($"/Task/{task.Id}", last.Entry[1].FullUrl, StringComparison.Ordinal);
        Assert.Equal((Bundle.HTTPVerb.PUT, $"Task/{task.Id}"), (last.Entry[1].Request.Method!.Value, last.Entry[1].Request.Url));
        Assert.All(received, r => Assert.DoesNotContain("\"resourceType\":\"Task\"", r.BodyText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provider_filtering_on_itself_hears_only_of_its_own_tasks_and_a_filter_on_another_partner_hears_nothing()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var ownPath = NewPath("housing");
        var othersPath = NewPath("housing");
        var own = await housing.CreateAsync(Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(ownPath), [$"Task?owner=Organization/{TestPartners.Housing}"]));
        // Not an error to ask: values the subscriber could never see just never match.
        var others = await housing.CreateAsync(Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(othersPath), [$"Task?owner=Organization/{TestPartners.Welfare}"]));
        await Subscriptions.ActiveAsync(housing, own.Id);
        await Subscriptions.ActiveAsync(housing, others.Id);

        var uk = await Referrals.SendUkSampleAsync(gateway.Client);
        var dutch = await Referrals.SendDutchAsync(gateway.Client);
        var housingTask = await Referrals.MoveAsync(housing, await housing.ReferralTaskAsync(uk.RequestId), Status.Accepted);
        var welfareTask = await welfare.ReferralTaskAsync(dutch.RequestId);
        Assert.Equal($"Organization/{TestPartners.Welfare}", welfareTask.Owner.Reference);
        welfareTask = await Referrals.MoveAsync(welfare, welfareTask, Status.Accepted);

        var received = await _receiver.WaitForAsync(ownPath, r => r.Any(n => Focuses(n, $"Task/{housingTask.Id}/_history/{housingTask.Meta.VersionId}")));
        var foci = received.Skip(1).SelectMany(n => Subscriptions.Events(Subscriptions.Status(Notification(n)))).Select(e => e.Focus!).ToList();
        Assert.All(foci, f => Assert.StartsWith($"Task/{housingTask.Id}/", f, StringComparison.Ordinal));
        // Matching happens in the change's transaction: no outbox row means the welfare Task is never sent to the housing provider.
        Assert.Equal(0L, await NotificationRowsAsync(others.Id));
        Assert.Equal(["handshake"], _receiver.On(othersPath).Select(Type));
        Assert.DoesNotContain(_receiver.Requests, r => r.BodyText.Contains(welfareTask.Id, StringComparison.Ordinal) && r.Path.StartsWith("/housing/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Full_resource_delivers_the_task_and_empty_names_no_focus()
    {
        var fullPath = NewPath("gp");
        var emptyPath = NewPath("gp");
        var filter = $"Task?requester=Organization/{TestPartners.Gp}&status=accepted";
        var full = await gateway.Client.CreateAsync(Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(fullPath), [filter], Subscription.SubscriptionStatus.Active, "full-resource"));
        var empty = await gateway.Client.CreateAsync(Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(emptyPath), [filter], Subscription.SubscriptionStatus.Active, "empty"));
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        var accepted = await Referrals.MoveAsync(housing, await housing.ReferralTaskAsync(referral.RequestId), Status.Accepted);

        var fullNotification = Notification((await _receiver.WaitForAsync(fullPath, r => r.Count >= 1)).Single());
        var task = Assert.IsType<FhirTask>(fullNotification.Entry[1].Resource);
        Assert.Equal((accepted.Id, accepted.Meta.VersionId, Status.Accepted), (task.Id, task.Meta.VersionId, task.Status));
        var emptyNotification = Notification((await _receiver.WaitForAsync(emptyPath, r => r.Count >= 1)).Single());
        Assert.Single(emptyNotification.Entry);
        var status = Subscriptions.Status(emptyNotification);
        Assert.Equal([(1L, (string?)null)], Subscriptions.Events(status));
        Assert.NotNull(full.Id);
        Assert.Equal($"Subscription/{empty.Id}", ((ResourceReference)status.Parameter.Single(p => p.Name == "subscription").Value).Reference);
    }

    [Fact]
    public async Task Status_reports_the_events_delivered_and_the_error_after_repeated_failure_and_only_to_the_subscriber()
    {
        var okPath = NewPath("gp");
        var failingPath = NewPath("gp");
        _receiver.FailPath(failingPath);
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var filter = $"Task?requester=Organization/{TestPartners.Gp}&status=accepted,in-progress";
        var ok = await gateway.Client.CreateAsync(Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(okPath), [filter], Subscription.SubscriptionStatus.Active));
        var failing = await gateway.Client.CreateAsync(Subscriptions.Topic(Subscriptions.TaskChanges, _receiver.Url(failingPath), [filter], Subscription.SubscriptionStatus.Active));
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        var task = await Referrals.MoveAsync(housing, await housing.ReferralTaskAsync(referral.RequestId), Status.Accepted);
        task = await Referrals.MoveAsync(housing, task, Status.InProgress, t => t.BusinessStatus = new CodeableConcept("https://interop-gateway.example/fhir/CodeSystem/referral-business-status", "plan-agreed"));

        await _receiver.WaitForAsync(okPath, r => r.Count >= 2);
        await Subscriptions.WaitForAsync(gateway.Client, failing.Id, s => s.Status == Subscription.SubscriptionStatus.Error);
        await NoPendingAsync(ok.Id);
        var one = Assert.IsType<Parameters>((await StatusAsync(gateway.Client, $"Subscription/{ok.Id}/$status")).Entry.Single().Resource);
        Assert.Equal((_receiver.On(okPath).Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "active", "query-status", Subscriptions.TaskChanges),
            (Subscriptions.Value(one, "events-since-subscription-start"), Subscriptions.Value(one, "status"), Subscriptions.Value(one, "type"), Subscriptions.Value(one, "topic")));
        var errors = await StatusAsync(gateway.Client, $"Subscription/$status?status=error&id={ok.Id},{failing.Id}");
        var failed = Assert.IsType<Parameters>(errors.Entry.Single().Resource);
        Assert.Equal($"Subscription/{failing.Id}", ((ResourceReference)failed.Parameter.Single(p => p.Name == "subscription").Value).Reference);
        Assert.Contains("503", ((CodeableConcept)failed.Parameter.Single(p => p.Name == "error").Value).Text, StringComparison.Ordinal);
        Assert.Equal(DeliveryGatewayApp.Attempts, _receiver.On(failingPath).Count);
        var all = await StatusAsync(gateway.Client, "Subscription/$status");
        Assert.Contains(all.Entry, e => e.Resource is Parameters p && p.Parameter.Any(x => x.Value is ResourceReference r && r.Reference == $"Subscription/{ok.Id}"));

        var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        using var theirs = await otherGp.GetAsync($"Subscription/{ok.Id}/$status");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Empty((await StatusAsync(otherGp, $"Subscription/$status?id={ok.Id}")).Entry);
    }

    private static async Task<Bundle> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bundle = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        return bundle;
    }

    private async Task NoPendingAsync(string subscriptionId)
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var command = gateway.Database.CreateCommand("select count(*) from notification_outbox where target = $1 and state = 'pending'");
            command.Parameters.Add(new() { Value = $"Subscription/{subscriptionId}" });
            if ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < until, $"Subscription/{subscriptionId} kept pending notifications.");
            await Task.Delay(50);
        }
    }

    private async Task<long> NotificationRowsAsync(string subscriptionId)
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from notification_outbox where target = $1 and kind = 'subscription'");
        command.Parameters.Add(new() { Value = $"Subscription/{subscriptionId}" });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
