using Gateway.Api.Tests.Workflow;
using Gateway.Jobs.Sla;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Sla;

/// <summary>
/// SPEC §5's SLAs, run by the real Hangfire job on a clock the test moves. test-housing's SLA:
/// accept within 5 days, update every 14, measure again after 84. The clock only moves forward,
/// so each test looks at its own referrals only.
/// </summary>
public sealed class SlaCheckTests(ClockedJobsGatewayApp gateway) : IClassFixture<ClockedJobsGatewayApp>
{
    private const string BusinessStatus = "https://interop-gateway.example/fhir/CodeSystem/referral-business-status";
    private const string Flags = "https://interop-gateway.example/fhir/CodeSystem/referral-flag";
    private readonly HttpClient _gp = gateway.Client;

    private async Task<FhirTask> SendAsync() => await gateway.Housing.ReferralTaskAsync((await Referrals.SendUkSampleAsync(_gp)).RequestId);

    private Task<SlaCheckResult> RunDirectlyAsync() => gateway.Services.GetRequiredService<SlaCheckJob>().RunAsync(CancellationToken.None);

    private static bool Overdue(FhirTask task) => task.BusinessStatus?.Coding.Any(c => c.System == BusinessStatus && c.Code == "acceptance-overdue") == true;

    private static bool Flagged(FhirTask task, string code) => task.Meta.Tag.Any(t => t.System == Flags && t.Code == code);

    [Fact]
    public void The_sla_checks_are_a_recurring_job()
    {
        var job = gateway.RecurringJob(SlaCheckJob.Id);

        Assert.NotNull(job);
        Assert.Contains(nameof(SlaCheckJob), job.Job.Type.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unaccepted_task_past_its_deadline_becomes_acceptance_overdue_and_the_gp_sees_it_by_polling()
    {
        var waiting = await SendAsync();
        var accepted = await Referrals.MoveAsync(gateway.Housing, await SendAsync(), Status.Accepted);
        var since = waiting.Meta.LastUpdated!.Value;
        gateway.Clock.Advance(TimeSpan.FromDays(6));

        await RunDirectlyAsync();
        var query = $"Task?requester={waiting.Requester.Reference}&_lastUpdated=gt{since.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}&_count=100";
        var polled = await ClockedJobsGatewayApp.EventuallyAsync(
            async () => (await _gp.SearchAsync(query)).Entry.Select(e => e.Resource).OfType<FhirTask>().ToList(),
            tasks => tasks.Any(t => t.Id == waiting.Id && Overdue(t)));

        var marked = Assert.Single(polled, t => t.Id == waiting.Id);
        Assert.True(Overdue(marked), "The GP's poll should see the Task marked acceptance-overdue.");
        Assert.Equal(Status.Requested, marked.Status);
        var trail = await _gp.SearchAsync($"Provenance?target=Task/{waiting.Id}");
        Assert.Contains(trail.Entry.Select(e => ((Provenance)e.Resource).Activity.Text), a => a.StartsWith("Marked acceptance overdue: ", StringComparison.Ordinal));
        var stillAccepted = await gateway.Housing.ReferralTaskAsync(accepted.BasedOn[0].Reference.Split('/')[1]);
        Assert.False(Overdue(stillAccepted));
        Assert.Equal(accepted.Meta.VersionId, stillAccepted.Meta.VersionId);
    }

    [Fact]
    public async Task A_second_run_changes_nothing()
    {
        await SendAsync();
        await Referrals.MoveAsync(gateway.Housing, await SendAsync(), Status.Accepted);
        gateway.Clock.Advance(TimeSpan.FromDays(15));
        var first = await RunDirectlyAsync();
        var before = await gateway.CountResourcesAsync();

        var second = await RunDirectlyAsync();

        Assert.True(first.AcceptanceOverdue >= 1 && first.UpdateOverdue >= 1, $"The first run should change something: {first}");
        Assert.Equal(0, second.Total);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task An_accepted_task_not_updated_for_its_sla_interval_is_flagged_update_overdue()
    {
        var quiet = await Referrals.MoveAsync(gateway.Housing, await SendAsync(), Status.Accepted);
        gateway.Clock.Advance(TimeSpan.FromDays(10));
        var busy = await Referrals.MoveAsync(gateway.Housing, await SendAsync(), Status.Accepted);
        gateway.Clock.Advance(TimeSpan.FromDays(5));

        await RunDirectlyAsync();

        var flagged = await gateway.Housing.ReferralTaskAsync(quiet.Focus.Reference.Split('/')[1]);
        Assert.True(Flagged(flagged, "update-overdue"));
        Assert.Equal(Status.Accepted, flagged.Status);
        Assert.False(Overdue(flagged));
        Assert.False(Flagged(await gateway.Housing.ReferralTaskAsync(busy.Focus.Reference.Split('/')[1]), "update-overdue"));
    }

    [Fact]
    public async Task An_in_progress_task_whose_latest_measure_is_older_than_its_sla_is_flagged_remeasure_due()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var fresh = await Referrals.SendUkSampleAsync(_gp);
        var task = await gateway.Housing.ReferralTaskAsync(referral.RequestId);
        var freshTask = await gateway.Housing.ReferralTaskAsync(fresh.RequestId);
        var measured = gateway.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await gateway.Housing.CreateAsync(Resources.Ons4(referral.RequestId, referral.PatientId, measured));
        task = await Referrals.MoveAsync(gateway.Housing, await Referrals.MoveAsync(gateway.Housing, task, Status.Accepted), Status.InProgress);
        freshTask = await Referrals.MoveAsync(gateway.Housing, await Referrals.MoveAsync(gateway.Housing, freshTask, Status.Accepted), Status.InProgress);
        gateway.Clock.Advance(TimeSpan.FromDays(85));
        var remeasured = gateway.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await gateway.Housing.CreateAsync(Resources.Ons4(fresh.RequestId, fresh.PatientId, remeasured));

        await RunDirectlyAsync();
        var due = await ClockedJobsGatewayApp.EventuallyAsync(
            () => gateway.Housing.ReferralTaskAsync(referral.RequestId),
            t => Flagged(t, "remeasure-due"));

        Assert.True(Flagged(due, "remeasure-due"), "The Task whose only measure is 85 days old should be flagged remeasure-due.");
        Assert.Equal(Status.InProgress, due.Status);
        Assert.False(Flagged(await gateway.Housing.ReferralTaskAsync(fresh.RequestId), "remeasure-due"));
    }
}
