using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Subscriptions;

/// <summary>
/// SPEC §7 push: classic rest-hook Subscriptions notified by the jobs over real HTTP, as the
/// subscriber may see the change, in version order, retried, set to error and resumed.
/// </summary>
public sealed class RestHookNotificationTests(DeliveryGatewayApp gateway) : IClassFixture<DeliveryGatewayApp>
{
    private readonly NotificationReceiver _receiver = gateway.Receiver;

    private static string NewPath(string who) => $"{who}/{Guid.NewGuid():N}";

    private async Task<(SentReferral Referral, FhirTask Task, HttpClient Housing)> Routed()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        return (referral, await housing.ReferralTaskAsync(referral.RequestId), housing);
    }

    [Fact]
    public async Task The_gp_is_notified_when_the_provider_accepts_with_the_resource_and_its_headers_and_another_gp_is_not()
    {
        var (referral, task, housing) = await Routed();
        var criteria = $"Task?focus=ServiceRequest/{referral.RequestId}&status=accepted";
        var mine = NewPath("gp");
        var theirs = NewPath("other-gp");
        var subscription = await gateway.Client.CreateAsync(Subscriptions.RestHook(criteria, _receiver.Url(mine), payload: "application/fhir+json", headers: "Authorization: Bearer gp-hook-token"));
        var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        var other = await otherGp.CreateAsync(Subscriptions.RestHook(criteria, _receiver.Url(theirs), payload: "application/fhir+json"));
        await Subscriptions.ActiveAsync(gateway.Client, subscription.Id);
        await Subscriptions.ActiveAsync(otherGp, other.Id);

        var accepted = await Referrals.MoveAsync(housing, task, Status.Accepted);

        var received = await _receiver.WaitForAsync(mine, r => r.Count >= 2);
        Assert.Empty(received[0].Body);
        var notification = FhirHttp.Parse<FhirTask>(received[1].BodyText);
        Assert.Equal((task.Id, accepted.Meta.VersionId, Status.Accepted), (notification.Id, notification.Meta.VersionId, notification.Status));
        Assert.Equal("Bearer gp-hook-token", received[1].Header("Authorization"));
        Assert.StartsWith("application/fhir+json", received[1].Header("Content-Type"), StringComparison.Ordinal);
        // The outbox row is written in the change's transaction: none for the other GP means it is never notified.
        Assert.Equal(0L, await OutboxRowsAsync($"Subscription/{other.Id}", "subscription"));
        Assert.Single(_receiver.On(theirs));
    }

    [Fact]
    public async Task An_empty_payload_notification_carries_no_body()
    {
        var (referral, task, housing) = await Routed();
        var path = NewPath("gp");
        var subscription = await gateway.Client.CreateAsync(Subscriptions.RestHook($"Task?focus=ServiceRequest/{referral.RequestId}", _receiver.Url(path)));
        await Subscriptions.ActiveAsync(gateway.Client, subscription.Id);

        await Referrals.MoveAsync(housing, task, Status.Accepted);

        var received = await _receiver.WaitForAsync(path, r => r.Count >= 2);
        Assert.All(received, r => Assert.Empty(r.Body));
    }

    [Fact]
    public async Task An_id_only_notification_names_the_version_and_carries_none_of_its_content()
    {
        var (referral, task, housing) = await Routed();
        var path = NewPath("gp");
        var idOnly = Subscriptions.RestHook($"Task?focus=ServiceRequest/{referral.RequestId}", _receiver.Url(path), Subscription.SubscriptionStatus.Active, "application/fhir+json");
        idOnly.Channel.PayloadElement.SetExtension(Gateway.Fhir.Subscriptions.SubscriptionRules.PayloadContentUrl, new Code("id-only"));
        var subscription = await gateway.Client.CreateAsync(idOnly);

        var accepted = await Referrals.MoveAsync(housing, task, Status.Accepted);

        var received = await _receiver.WaitForAsync(path, r => r.Count >= 1);
        var bundle = FhirHttp.Parse<Bundle>(received[0].BodyText);
        Assert.Equal(Bundle.BundleType.History, bundle.Type);
        var status = Assert.IsType<Parameters>(bundle.Entry[0].Resource);
        Assert.Equal($"Subscription/{subscription.Id}", ((ResourceReference)status.GetSingleValue<ResourceReference>("subscription")!).Reference);
        var focus = (ResourceReference)status.GetSingle("notification-event")!.Part.Single(p => p.Name == "focus").Value;
        Assert.Equal($"Task/{task.Id}/_history/{accepted.Meta.VersionId}", focus.Reference);
        Assert.Null(bundle.Entry[1].Resource);
        Assert.DoesNotContain("\"resourceType\":\"Task\"", received[0].BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notifications_of_one_task_arrive_in_version_order()
    {
        var (referral, task, housing) = await Routed();
        var path = NewPath("gp");
        var subscription = await gateway.Client.CreateAsync(Subscriptions.RestHook($"Task?focus=ServiceRequest/{referral.RequestId}", _receiver.Url(path),
            Subscription.SubscriptionStatus.Active, "application/fhir+json"));

        task = await Referrals.MoveAsync(housing, task, Status.Accepted);
        task = await Referrals.MoveAsync(housing, task, Status.InProgress, t => t.BusinessStatus = new CodeableConcept("https://interop-gateway.example/fhir/CodeSystem/referral-business-status", "plan-agreed"));
        task = await Referrals.MoveAsync(housing, task, Status.OnHold, t => t.StatusReason = Referrals.Reason("Patient in hospital"));

        var received = await _receiver.WaitForAsync(path, r => r.Select(Version).Contains(int.Parse(task.Meta.VersionId, System.Globalization.CultureInfo.InvariantCulture)));
        var versions = received.Select(Version).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        var statuses = received.Select(r => FhirHttp.Parse<FhirTask>(r.BodyText).Status!.Value).ToList();
        Assert.Equal([Status.Accepted, Status.InProgress, Status.OnHold], statuses.Distinct());
        Assert.NotNull(subscription.Id);
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_then_the_subscription_goes_to_error_and_after_reactivation_the_notification_arrives()
    {
        var (referral, task, housing) = await Routed();
        var path = NewPath("gp");
        _receiver.FailPath(path);
        var subscription = await gateway.Client.CreateAsync(Subscriptions.RestHook($"Task?focus=ServiceRequest/{referral.RequestId}&status=accepted", _receiver.Url(path),
            Subscription.SubscriptionStatus.Active, "application/fhir+json"));

        var accepted = await Referrals.MoveAsync(housing, task, Status.Accepted);

        var failed = await Subscriptions.WaitForAsync(gateway.Client, subscription.Id, s => s.Status == Subscription.SubscriptionStatus.Error);
        Assert.Contains("503", failed.Error, StringComparison.Ordinal);
        Assert.Contains($"Task/{task.Id}", failed.Error, StringComparison.Ordinal);
        Assert.Equal(DeliveryGatewayApp.Attempts, _receiver.On(path).Count);

        _receiver.FailPath(path, failing: false);
        failed.Status = Subscription.SubscriptionStatus.Requested;
        failed.Error = null;
        using (var reactivate = await gateway.Client.PutAsync($"Subscription/{subscription.Id}", failed))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, reactivate.StatusCode);
        }

        var received = await _receiver.WaitForAsync(path, r => r.Count >= DeliveryGatewayApp.Attempts + 2);
        Assert.Empty(received[DeliveryGatewayApp.Attempts].Body);
        var notification = FhirHttp.Parse<FhirTask>(received[DeliveryGatewayApp.Attempts + 1].BodyText);
        Assert.Equal(accepted.Meta.VersionId, notification.Meta.VersionId);
        await Subscriptions.ActiveAsync(gateway.Client, subscription.Id);
    }

    [Fact]
    public async Task A_handshake_that_keeps_failing_sets_the_subscription_to_error_with_the_reason()
    {
        var path = NewPath("gp");
        _receiver.FailPath(path);
        var subscription = await gateway.Client.CreateAsync(Subscriptions.RestHook("Task?status=accepted", _receiver.Url(path)));

        var failed = await Subscriptions.WaitForAsync(gateway.Client, subscription.Id, s => s.Status == Subscription.SubscriptionStatus.Error);

        Assert.Contains("handshake", failed.Error, StringComparison.Ordinal);
        Assert.Contains("503", failed.Error, StringComparison.Ordinal);
        Assert.Equal(DeliveryGatewayApp.Attempts, _receiver.On(path).Count);
    }

    [Fact]
    public async Task A_redirecting_endpoint_is_not_followed_and_the_subscription_goes_to_error_saying_so()
    {
        // Issue 17 item 12: a 3xx is a failed attempt; its target is never called.
        await using var elsewhere = new NotificationReceiver();
        await elsewhere.StartAsync();
        var path = NewPath("gp");
        _receiver.RedirectPath(path, elsewhere.Url("internal"));
        var subscription = await gateway.Client.CreateAsync(Subscriptions.RestHook("Task?status=accepted", _receiver.Url(path)));

        var failed = await Subscriptions.WaitForAsync(gateway.Client, subscription.Id, s => s.Status == Subscription.SubscriptionStatus.Error);

        Assert.Contains("307", failed.Error, StringComparison.Ordinal);
        Assert.Contains("redirects are not followed", failed.Error, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task Deleting_a_subscription_gives_up_its_pending_notifications()
    {
        var (referral, task, housing) = await Routed();
        var path = NewPath("gp");
        _receiver.FailPath(path);
        var subscription = await gateway.Client.CreateAsync(Subscriptions.RestHook($"Task?focus=ServiceRequest/{referral.RequestId}", _receiver.Url(path), Subscription.SubscriptionStatus.Active));
        await Referrals.MoveAsync(housing, task, Status.Accepted);
        await _receiver.WaitForAsync(path, r => r.Count >= 1);

        using (var deleted = await gateway.Client.DeleteAsync($"Subscription/{subscription.Id}"))
        {
            Assert.True(deleted.IsSuccessStatusCode, deleted.StatusCode.ToString());
        }

        var until = DateTimeOffset.UtcNow.AddSeconds(30);
        while (await PendingAsync($"Subscription/{subscription.Id}") > 0)
        {
            Assert.True(DateTimeOffset.UtcNow < until, "The deleted Subscription's notifications stayed pending.");
            await Task.Delay(50);
        }
    }

    private async Task<long> PendingAsync(string target)
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from notification_outbox where target = $1 and state = 'pending'");
        command.Parameters.Add(new() { Value = target });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static int Version(ReceivedRequest request) =>
        int.Parse(FhirHttp.Parse<FhirTask>(request.BodyText).Meta.VersionId, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<long> OutboxRowsAsync(string target, string kind)
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from notification_outbox where target = $1 and kind = $2");
        command.Parameters.Add(new() { Value = target });
        command.Parameters.Add(new() { Value = kind });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
