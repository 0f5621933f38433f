using Gateway.Api.Tests.PartnerSync;
using Gateway.Api.Tests.Workflow;
using Gateway.Jobs.Sla;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Sla;

/// <summary>
/// The SLA checks as the real Hangfire server runs them (the recurring job triggered by id) on the
/// clock the test moves, and the marks taken off again once their cause has gone.
/// test-housing's SLA: accept within 5 days, update every 14, measure again after 84.
/// </summary>
public sealed class SlaScheduleTests(ClockedJobsGatewayApp gateway) : IClassFixture<ClockedJobsGatewayApp>
{
    private const string BusinessStatus = "https://interop-gateway.example/fhir/CodeSystem/referral-business-status";
    private const string Flags = "https://interop-gateway.example/fhir/CodeSystem/referral-flag";
    private readonly HttpClient _gp = gateway.Client;

    private static bool Overdue(FhirTask task) => task.BusinessStatus?.Coding.Any(c => c.System == BusinessStatus && c.Code == "acceptance-overdue") == true;

    private static bool Flagged(FhirTask task, string code) => task.Meta.Tag.Any(t => t.System == Flags && t.Code == code);

    private System.Threading.Tasks.Task RunSlaChecksAsync() => HangfireJobs.RunAsync(gateway, SlaCheckJob.Id);

    private static string At(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async System.Threading.Tasks.Task Acceptance_overdue_reaches_the_referrers_subscription_and_goes_once_the_owner_accepts_late()
    {
        await using var receiver = new NotificationReceiver();
        await receiver.StartAsync();
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var subscription = await _gp.CreateAsync(Subscriptions.Subscriptions.RestHook($"Task?focus=ServiceRequest/{referral.RequestId}", receiver.Url("gp/tasks"), payload: "application/fhir+json"));
        await Subscriptions.Subscriptions.ActiveAsync(_gp, subscription.Id);
        gateway.Clock.Advance(TimeSpan.FromDays(6));

        await RunSlaChecksAsync();

        var marked = await gateway.Housing.ReferralTaskAsync(referral.RequestId);
        Assert.True(Overdue(marked));
        var notified = await receiver.WaitForAsync("gp/tasks", r => r.Any(n => n.BodyText.Contains("acceptance-overdue", StringComparison.Ordinal)));
        Assert.Contains(notified, n => n.BodyText.Contains($"\"versionId\":\"{marked.Meta.VersionId}\"", StringComparison.Ordinal));

        // The owner's client sends back what it read, the mark included: the next run takes it off.
        var accepted = await Referrals.MoveAsync(gateway.Housing, marked, Status.Accepted);
        Assert.True(Overdue(accepted));
        await RunSlaChecksAsync();

        var cleared = await gateway.Housing.ReferralTaskAsync(referral.RequestId);
        Assert.False(Overdue(cleared));
        Assert.Equal(Status.Accepted, cleared.Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task Update_overdue_goes_once_the_owner_updates_the_task_and_stays_while_it_does_not()
    {
        var quiet = await Referrals.MoveAsync(gateway.Housing, await gateway.Housing.ReferralTaskAsync((await Referrals.SendUkSampleAsync(_gp)).RequestId), Status.Accepted);
        var idle = await Referrals.MoveAsync(gateway.Housing, await gateway.Housing.ReferralTaskAsync((await Referrals.SendUkSampleAsync(_gp)).RequestId), Status.Accepted);
        gateway.Clock.Advance(TimeSpan.FromDays(15));
        await RunSlaChecksAsync();
        var flagged = await gateway.Housing.ReferralTaskAsync(quiet.Focus.Reference.Split('/')[1]);
        Assert.True(Flagged(flagged, "update-overdue"));

        await Referrals.MoveAsync(gateway.Housing, flagged, Status.InProgress);
        await RunSlaChecksAsync();

        var updated = await gateway.Housing.ReferralTaskAsync(quiet.Focus.Reference.Split('/')[1]);
        Assert.False(Flagged(updated, "update-overdue"));
        Assert.Equal(Status.InProgress, updated.Status);
        Assert.True(Flagged(await gateway.Housing.ReferralTaskAsync(idle.Focus.Reference.Split('/')[1]), "update-overdue"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Remeasure_due_goes_once_a_new_measure_comes_in()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        await gateway.Housing.CreateAsync(Resources.Ons4(referral.RequestId, referral.PatientId, At(gateway.Clock.GetUtcNow())));
        var task = await gateway.Housing.ReferralTaskAsync(referral.RequestId);
        await Referrals.MoveAsync(gateway.Housing, await Referrals.MoveAsync(gateway.Housing, task, Status.Accepted), Status.InProgress);
        gateway.Clock.Advance(TimeSpan.FromDays(85));
        await RunSlaChecksAsync();
        Assert.True(Flagged(await gateway.Housing.ReferralTaskAsync(referral.RequestId), "remeasure-due"));

        await gateway.Housing.CreateAsync(Resources.Ons4(referral.RequestId, referral.PatientId, At(gateway.Clock.GetUtcNow())));
        await RunSlaChecksAsync();

        var measured = await gateway.Housing.ReferralTaskAsync(referral.RequestId);
        Assert.False(Flagged(measured, "remeasure-due"));
        Assert.Equal(Status.InProgress, measured.Status);
    }
}
