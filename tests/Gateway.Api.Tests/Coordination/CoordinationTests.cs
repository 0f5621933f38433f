using Gateway.Api.Tests.PartnerSync;
using Gateway.Api.Tests.Workflow;
using Gateway.Jobs.Coordination;
using Gateway.Testing;
using Hangfire;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Coordination;

/// <summary>
/// SPEC §7: a partner with its own FHIR server is served as the SDOH Clinical Care guide's
/// coordination platform serves a performer: a filler-order ServiceRequest based on the GP's and a
/// Task partOf the gateway's Task are made there, and their status and outputs come back.
/// </summary>
public sealed class CoordinationTests(CoordinationGateway gateway) : IClassFixture<CoordinationGateway>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly PartnerFhirServer _partner = gateway.Partner;
    private readonly HttpClient _gp = gateway.Client;

    public System.Threading.Tasks.Task InitializeAsync() => System.Threading.Tasks.Task.CompletedTask;

    public System.Threading.Tasks.Task DisposeAsync()
    {
        _partner.Down = false;
        _partner.RedirectTo = null;
        return System.Threading.Tasks.Task.CompletedTask;
    }

    [Fact]
    public async System.Threading.Tasks.Task A_routed_referral_makes_one_filler_order_and_one_task_partOf_the_gateway_task_at_the_partner()
    {
        var (referral, task) = await SendAsync();

        var theirs = await WaitForCopyAsync(task.Id);

        var request = Assert.Single(_partner.For<ServiceRequest>(task.Id));
        Assert.Equal(RequestIntent.FillerOrder, request.Intent);
        Assert.Equal($"{gateway.BaseAddress}ServiceRequest/{referral.RequestId}", Assert.Single(request.BasedOn).Reference);
        Assert.Equal($"{gateway.BaseAddress}Task/{task.Id}", Assert.Single(theirs.PartOf).Reference);
        Assert.Equal($"ServiceRequest/{request.Id}", theirs.Focus.Reference);
        Assert.Equal($"ServiceRequest/{request.Id}", Assert.Single(theirs.BasedOn).Reference);
        Assert.Equal(FhirTask.TaskStatus.Requested, theirs.Status);
        Assert.Equal(FhirTask.TaskIntent.Order, theirs.Intent);
        Assert.Equal(request.Subject.Reference, theirs.For.Reference);
        var patient = _partner.All<Patient>().Single(p => $"Patient/{p.Id}" == theirs.For.Reference);
        Assert.Contains(patient.Identifier, i => i.System == "https://fhir.nhs.uk/Id/nhs-number");
        Assert.Empty(patient.Telecom);
        Assert.All(patient.Address, a => Assert.True(!a.Line.Any() && a.City is null, "Only the postcode of the address goes."));
        Assert.All(_partner.Requests, r => Assert.Equal("Bearer " + CoordinationGateway.Token, r.Authorization));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_referral_held_for_consent_goes_to_the_partner_only_once_consent_is_given()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp, withConsent: false);
        var held = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(FhirTask.TaskStatus.OnHold, held.Status);
        Assert.Equal(0L, await OutboxRowsAsync(held.Id));

        await _gp.CreateAsync(Resources.Consent(referral.PatientId, TestPartners.Housing));

        var theirs = await WaitForCopyAsync(held.Id);
        Assert.Equal(FhirTask.TaskStatus.Requested, theirs.Status);
        Assert.Equal(1L, await OutboxRowsAsync(held.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task Delivering_again_after_a_lost_answer_still_leaves_one_of_each()
    {
        // The partner stores the Task but its answer is lost: the retry's If-None-Exist finds it.
        _partner.Fail("POST", "Task", afterStoring: true);
        var (_, task) = await SendAsync();

        await WaitForCopyAsync(task.Id);
        await WaitForDeliveredAsync(task.Id);
        Assert.Contains(_partner.Requests, r => r.Method == "POST" && r.Path.EndsWith("/Task", StringComparison.Ordinal) && r.IfNoneExist is not null);

        // And once more from scratch, as after a crash before any id was kept.
        var posted = TaskPosts();
        foreach (var sql in new[]
        {
            "delete from partner_fhir_link where gateway_task_id = $1",
            "update notification_outbox set state = 'pending', next_attempt_at = now() where kind = 'partner-fhir' and resource_id = $1",
        })
        {
            await using var again = gateway.Database.CreateCommand(sql);
            again.Parameters.Add(new() { Value = task.Id });
            await again.ExecuteNonQueryAsync();
        }

        await WaitForAsync(() => TaskPosts() > posted ? "posted again" : null);

        await WaitForDeliveredAsync(task.Id);
        Assert.Single(_partner.For<FhirTask>(task.Id));
        Assert.Single(_partner.For<ServiceRequest>(task.Id));
        var theirs = Assert.Single(_partner.For<FhirTask>(task.Id));
        Assert.Single(_partner.All<Patient>(), p => $"Patient/{p.Id}" == theirs.For.Reference);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_partner_moving_its_task_to_completed_with_a_measure_shows_on_the_gateway_task_for_the_GP()
    {
        var (referral, task) = await SendAsync();
        var theirs = await WaitForCopyAsync(task.Id);

        _partner.Change<FhirTask>(theirs.Id, t => t.Status = FhirTask.TaskStatus.Accepted);
        await SyncAsync();
        Assert.Equal(FhirTask.TaskStatus.Accepted, (await ReadAsync(task.Id)).Status);

        _partner.Change<FhirTask>(theirs.Id, t => t.Status = FhirTask.TaskStatus.InProgress);
        await SyncAsync();
        Assert.Equal(FhirTask.TaskStatus.InProgress, (await ReadAsync(task.Id)).Status);

        var measure = _partner.Add(Resources.Ons4(theirs.Focus.Reference.Split('/')[1], theirs.For.Reference.Split('/')[1]));
        _partner.Change<FhirTask>(theirs.Id, t =>
        {
            t.Status = FhirTask.TaskStatus.Completed;
            Referrals.Outputs(t, measure.Id);
        });
        await SyncAsync();

        var completed = await ReadAsync(task.Id);
        Assert.Equal(FhirTask.TaskStatus.Completed, completed.Status);
        var stored = await MeasuresAsync(referral.RequestId);
        var response = Assert.Single(stored);
        Assert.Contains(completed.Output, o => o.Value is ResourceReference r && r.Reference == $"QuestionnaireResponse/{response.Id}");
        Assert.Contains(completed.Output, o => o.Value is CodeableConcept c && c.Coding.Any(x => x.Code == "volunteering"));
        Assert.Equal($"ServiceRequest/{referral.RequestId}", Assert.Single(response.BasedOn).Reference);
        Assert.Equal(4, response.Item.Count);

        // Nothing new from the same partner Task: no second measure, no new version.
        await SyncAsync();
        Assert.Single(await MeasuresAsync(referral.RequestId));
        Assert.Equal(completed.Meta.VersionId, (await ReadAsync(task.Id)).Meta.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_move_the_rules_refuse_is_kept_with_its_reason_and_not_applied_or_retried()
    {
        var (_, task) = await SendAsync();
        var theirs = await WaitForCopyAsync(task.Id);
        var before = await ReadAsync(task.Id);

        _partner.Change<FhirTask>(theirs.Id, t => t.Status = FhirTask.TaskStatus.Completed);
        await SyncAsync();

        var after = await ReadAsync(task.Id);
        Assert.Equal(FhirTask.TaskStatus.Requested, after.Status);
        Assert.Equal(before.Meta.VersionId, after.Meta.VersionId);
        var (error, syncedAt) = await LinkAsync(task.Id);
        Assert.Contains("A completed Task carries its outputs", error, StringComparison.Ordinal);
        Assert.Contains($"Task/{theirs.Id}", error, StringComparison.Ordinal);

        await SyncAsync();
        Assert.Equal(syncedAt, (await LinkAsync(task.Id)).SyncedAt);
        Assert.Equal(before.Meta.VersionId, (await ReadAsync(task.Id)).Meta.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_GP_cancelling_cancels_the_partner_task()
    {
        var (_, task) = await SendAsync();
        var theirs = await WaitForCopyAsync(task.Id);

        await Referrals.MoveAsync(_gp, await ReadAsync(task.Id), FhirTask.TaskStatus.Cancelled, t => t.StatusReason = Referrals.Reason("The patient moved away"));

        var cancelled = await WaitForAsync(() => _partner.All<FhirTask>().SingleOrDefault(t => t.Id == theirs.Id && t.Status == FhirTask.TaskStatus.Cancelled));
        Assert.Equal("The patient moved away", cancelled.StatusReason.Text);
        await SyncAsync();
        Assert.Null((await LinkAsync(task.Id)).Error);
        Assert.Equal(FhirTask.TaskStatus.Cancelled, (await ReadAsync(task.Id)).Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_partner_server_that_is_down_fails_the_sync_which_is_retried_and_applies_once()
    {
        var (referral, task) = await SendAsync();
        var theirs = await WaitForCopyAsync(task.Id);
        _partner.Change<FhirTask>(theirs.Id, t => t.Status = FhirTask.TaskStatus.Accepted);
        await SyncAsync();
        var measure = _partner.Add(Resources.Ons4(theirs.Focus.Reference.Split('/')[1], theirs.For.Reference.Split('/')[1]));
        _partner.Change<FhirTask>(theirs.Id, t =>
        {
            t.Status = FhirTask.TaskStatus.Completed;
            Referrals.Outputs(t, measure.Id);
        });
        var accepted = await ReadAsync(task.Id);

        // The Task is read, its measure is not: nothing of it may be applied.
        _partner.Fail("GET", "QuestionnaireResponse");
        await FailedSyncAsync("QuestionnaireResponse/" + measure.Id);
        Assert.Equal(accepted.Meta.VersionId, (await ReadAsync(task.Id)).Meta.VersionId);
        Assert.Empty(await MeasuresAsync(referral.RequestId));

        _partner.Down = true;
        await FailedSyncAsync("503");
        _partner.Down = false;

        await SyncAsync();
        await SyncAsync();
        Assert.Equal(FhirTask.TaskStatus.Completed, (await ReadAsync(task.Id)).Status);
        Assert.Single(await MeasuresAsync(referral.RequestId));
    }

    private async Task<(SentReferral Referral, FhirTask Task)> SendAsync()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        return (referral, await _gp.ReferralTaskAsync(referral.RequestId));
    }

    private int TaskPosts() => _partner.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/Task", StringComparison.Ordinal));

    private Task<FhirTask> WaitForCopyAsync(string gatewayTaskId) => WaitForAsync(() => _partner.For<FhirTask>(gatewayTaskId) is [var first, ..] ? first : null);

    private async Task<FhirTask> ReadAsync(string id)
    {
        using var response = await _gp.GetAsync($"Task/{id}");
        return await response.ReadResourceAsync<FhirTask>();
    }

    private async Task<IReadOnlyList<QuestionnaireResponse>> MeasuresAsync(string requestId) =>
        [.. (await _gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{requestId}")).Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>()];

    private System.Threading.Tasks.Task SyncAsync() => HangfireJobs.RunAsync(gateway, CoordinationSyncJob.RecurringId(TestPartners.Housing));

    // The run fails with the reason and Hangfire schedules a retry (deleted here, so it does not run into the next test).
    private async System.Threading.Tasks.Task FailedSyncAsync(string reason)
    {
        var jobId = HangfireJobs.Trigger(gateway, CoordinationSyncJob.RecurringId(TestPartners.Housing));
        var state = await HangfireJobs.WaitForStateAsync(gateway, jobId, "Scheduled", "Failed", "Succeeded");
        Assert.Equal("Scheduled", state.Name);
        Assert.Contains(reason, string.Join("\n", HangfireJobs.History(gateway, jobId)), StringComparison.Ordinal);
        gateway.Services.GetRequiredService<IBackgroundJobClient>().Delete(jobId);
    }

    private async Task<(string? Error, DateTimeOffset? SyncedAt)> LinkAsync(string gatewayTaskId)
    {
        await using var command = gateway.Database.CreateCommand("select sync_error, synced_at from partner_fhir_link where gateway_task_id = $1");
        command.Parameters.Add(new() { Value = gatewayTaskId });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No link for Task/{gatewayTaskId}.");
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    private async Task<long> OutboxRowsAsync(string gatewayTaskId)
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from notification_outbox where kind = 'partner-fhir' and resource_id = $1");
        command.Parameters.Add(new() { Value = gatewayTaskId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async System.Threading.Tasks.Task WaitForDeliveredAsync(string gatewayTaskId) =>
        await WaitForAsync(async () =>
        {
            await using var command = gateway.Database.CreateCommand("select count(*) from notification_outbox where kind = 'partner-fhir' and resource_id = $1 and state <> 'delivered'");
            command.Parameters.Add(new() { Value = gatewayTaskId });
            return (long)(await command.ExecuteScalarAsync())! == 0 ? "delivered" : null;
        });

    private static Task<T> WaitForAsync<T>(Func<T?> found) where T : class => WaitForAsync(() => System.Threading.Tasks.Task.FromResult(found()));

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> found) where T : class
    {
        var until = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            if (await found() is { } result)
            {
                return result;
            }

            Assert.True(DateTimeOffset.UtcNow < until, "What the test waited for did not come about.");
            await System.Threading.Tasks.Task.Delay(100);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_redirect_from_the_partner_server_is_not_followed()
    {
        // Issue 17 item 12: partner-addressed calls must not be steered elsewhere by a 3xx.
        await using var elsewhere = new NotificationReceiver();
        await elsewhere.StartAsync();
        _partner.RedirectTo = elsewhere.Url("r4/Task/1");
        var housing = gateway.Services.GetRequiredService<Gateway.Fhir.Partners.PartnerDirectory>().Find(TestPartners.Housing)!;

        var thrown = await Assert.ThrowsAsync<PartnerFhirException>(() => gateway.Services.GetRequiredService<PartnerFhirClient>().ReadAsync<FhirTask>(housing, "Task/1", CancellationToken.None));

        Assert.Contains("answered 307", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("redirects are not followed", thrown.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }
}
