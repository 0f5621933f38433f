using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Workflow;

/// <summary>SPEC §5's Task state machine over HTTP: who moves a referral where, and what follows on the ServiceRequest.</summary>
public sealed class TaskLifecycleTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _gp = gateway.Client;

    private async Task<(SentReferral Referral, FhirTask Task, HttpClient Housing)> Routed()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        return (referral, await housing.ReferralTaskAsync(referral.RequestId), housing);
    }

    [Fact]
    public async Task The_provider_accepts_starts_and_completes_and_the_gp_reads_the_whole_trail()
    {
        var (referral, task, housing) = await Routed();
        var measure = await housing.CreateAsync(Resources.Ons4(referral.RequestId, referral.PatientId));

        task = await Referrals.MoveAsync(housing, task, Status.Accepted);
        task = await Referrals.MoveAsync(housing, task, Status.InProgress, t => t.BusinessStatus = new CodeableConcept("https://interop-gateway.example/fhir/CodeSystem/referral-business-status", "plan-agreed"));
        task = await Referrals.MoveAsync(housing, task, Status.Completed, t => Referrals.Outputs(t, measure.Id));

        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        Assert.Equal(RequestStatus.Completed, request.Status);
        var history = await (await _gp.GetAsync($"Task/{task.Id}/_history")).ReadResourceAsync<Bundle>();
        Assert.Equal([Status.Completed, Status.InProgress, Status.Accepted, Status.Requested], history.Entry.Select(e => ((FhirTask)e.Resource).Status!.Value));
        var completed = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(2, completed.Output.Count);
        var trail = await _gp.SearchAsync($"Provenance?target=Task/{task.Id},ServiceRequest/{referral.RequestId}");
        var activities = trail.Entry.Select(e => ((Provenance)e.Resource).Activity.Text).ToList();
        Assert.Contains(activities, a => a.StartsWith("Routed to test-housing", StringComparison.Ordinal));
        Assert.Contains(activities, a => a == $"ServiceRequest/{referral.RequestId} completed because Task/{task.Id} was completed.");
        Assert.Equal(HttpStatusCode.OK, (await _gp.GetAsync($"QuestionnaireResponse/{measure.Id}")).StatusCode);
    }

    [Theory]
    [InlineData(Status.Completed)]
    [InlineData(Status.InProgress)]
    [InlineData(Status.OnHold)]
    [InlineData(Status.Failed)]
    public async Task A_move_the_table_does_not_have_is_409_listing_the_allowed_moves(Status target)
    {
        var (_, task, housing) = await Routed();

        using var response = await Referrals.PutAsync(housing, task, target, t =>
        {
            t.StatusReason = Referrals.Reason("because");
            Referrals.Outputs(t, "any");
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var issue = (await response.ReadOutcomeAsync()).Issue.Single();
        Assert.Equal("Task.status", issue.Expression.Single());
        Assert.Contains("Allowed from requested: received (by owner); accepted (by owner); rejected (by owner); cancelled (by owner or requester); entered-in-error (by requester or operator).", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(Status.Requested, (await housing.ReferralTaskAsync(task.BasedOn[0].Reference.Split('/')[1])).Status);
    }

    [Fact]
    public async Task Every_state_refuses_what_the_table_does_not_allow()
    {
        var (referral, task, housing) = await Routed();
        task = await Referrals.MoveAsync(housing, task, Status.Received);
        task = await Referrals.MoveAsync(housing, task, Status.Accepted);

        using var back = await Referrals.PutAsync(housing, task, Status.Requested);
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        Assert.Contains("Allowed from accepted: in-progress (by owner); on-hold (by owner); completed (by owner); failed (by owner)", (await back.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);

        task = await Referrals.MoveAsync(housing, task, Status.OnHold, t => t.StatusReason = Referrals.Reason("Tenant in hospital"));
        task = await Referrals.MoveAsync(housing, task, Status.InProgress, t => t.StatusReason = null);
        task = await Referrals.MoveAsync(housing, task, Status.Failed, t => t.StatusReason = Referrals.Reason("Could not reach the tenant"));

        using var reopen = await Referrals.PutAsync(housing, task, Status.InProgress, t => t.StatusReason = null);
        Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        Assert.Contains("Allowed from failed: entered-in-error (by requester or operator).", (await reopen.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(RequestStatus.Active, (await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>()).Status);
    }

    [Fact]
    public async Task The_requester_may_not_accept_its_own_referral()
    {
        var (referral, _, _) = await Routed();
        var task = await _gp.ReferralTaskAsync(referral.RequestId);

        using var response = await Referrals.PutAsync(_gp, task, Status.Accepted);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Only the owner may move", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejecting_without_a_reason_or_completing_without_outputs_is_refused()
    {
        var (_, task, housing) = await Routed();

        using var reject = await Referrals.PutAsync(housing, task, Status.Rejected);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reject.StatusCode);
        Assert.Contains((await reject.ReadOutcomeAsync()).Issue, i => i.Diagnostics.Contains("statusReason", StringComparison.Ordinal));

        task = await Referrals.MoveAsync(housing, task, Status.Accepted);
        using var complete = await Referrals.PutAsync(housing, task, Status.Completed);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, complete.StatusCode);
        Assert.Contains((await complete.ReadOutcomeAsync()).Issue, i => i.Diagnostics.Contains("output", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_business_status_outside_the_guides_code_system_is_refused()
    {
        var (_, task, housing) = await Routed();

        using var response = await Referrals.PutAsync(housing, task, Status.Accepted,
            t => t.BusinessStatus = new CodeableConcept("https://interop-gateway.example/fhir/CodeSystem/referral-business-status", "teleported"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Diagnostics.Contains("teleported", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Partners_neither_create_delete_nor_re_point_a_referral_task()
    {
        var (referral, task, housing) = await Routed();

        using var create = await _gp.PostAsync("Task", Resources.Task(referral.RequestId, referral.PatientId, TestPartners.Housing));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, create.StatusCode);
        Assert.Contains("created by the gateway", (await create.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);

        using var delete = await _gp.DeleteAsync($"Task/{task.Id}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, delete.StatusCode);

        using var repoint = await Referrals.PutAsync(housing, task, Status.Accepted, t => t.Owner = new ResourceReference($"Organization/{TestPartners.Welfare}"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, repoint.StatusCode);
        Assert.Equal("Task.owner", (await repoint.ReadOutcomeAsync()).Issue[0].Expression.Single());
    }

    [Fact]
    public async Task Revoking_the_service_request_cancels_its_open_task_with_the_reason()
    {
        var (referral, task, housing) = await Routed();
        await Referrals.MoveAsync(housing, task, Status.Accepted);
        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();

        request.Status = RequestStatus.Revoked;
        using var response = await _gp.PutAsync($"ServiceRequest/{request.Id}", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cancelled = await housing.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(Status.Cancelled, cancelled.Status);
        Assert.Contains("revoked", cancelled.StatusReason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_requester_cancelling_the_task_revokes_the_service_request()
    {
        var (referral, _, _) = await Routed();
        var task = await _gp.ReferralTaskAsync(referral.RequestId);

        await Referrals.MoveAsync(_gp, task, Status.Cancelled, t => t.StatusReason = Referrals.Reason("Patient moved to another practice"));

        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        Assert.Equal(RequestStatus.Revoked, request.Status);
    }

    [Fact]
    public async Task The_owner_cancelling_the_only_task_revokes_the_service_request()
    {
        // Issue 17, item 4: the ServiceRequest follows its Tasks whoever cancels them.
        var (referral, task, housing) = await Routed();
        task = await Referrals.MoveAsync(housing, task, Status.Accepted);

        await Referrals.MoveAsync(housing, task, Status.Cancelled, t => t.StatusReason = Referrals.Reason("The tenant withdrew"));

        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        Assert.Equal(RequestStatus.Revoked, request.Status);
        var trail = await _gp.SearchAsync($"Provenance?target=ServiceRequest/{referral.RequestId}");
        Assert.Contains(trail.Entry.Select(e => ((Provenance)e.Resource).Activity.Text), a => a == $"ServiceRequest/{referral.RequestId} revoked because Task/{task.Id}, its only Task still open, was cancelled.");
    }

    [Fact]
    public async Task A_rejected_referral_stays_active_and_the_gp_re_routes_it_to_another_performer()
    {
        var (referral, task, housing) = await Routed();
        await Referrals.MoveAsync(housing, task, Status.Rejected, t => t.StatusReason = Referrals.Reason("Not one of our tenants"));
        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        Assert.Equal(RequestStatus.Active, request.Status);

        request.Performer = [new ResourceReference($"Organization/{TestPartners.Welfare}")];
        using var response = await _gp.PutAsync($"ServiceRequest/{request.Id}", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tasks = (await _gp.SearchAsync($"Task?focus=ServiceRequest/{referral.RequestId}")).Entry.Select(e => (FhirTask)e.Resource).ToList();
        Assert.Equal(2, tasks.Count);
        Assert.Contains(tasks, t => t.Id == task.Id && t.Status == Status.Rejected);
        var rerouted = tasks.Single(t => t.Id != task.Id);
        Assert.Equal($"Organization/{TestPartners.Welfare}", rerouted.Owner.Reference);
        // The patient's consent names the housing provider only, so the new Task waits for one naming the welfare organisation.
        Assert.Equal(Status.OnHold, rerouted.Status);
        Assert.Equal("awaiting-consent", rerouted.BusinessStatus.Coding.Single().Code);
    }

    [Fact]
    public async Task An_operator_marks_a_task_entered_in_error_and_may_make_no_other_move()
    {
        var (_, task, _) = await Routed();
        var operators = await gateway.CreateClientAsync(TestPartners.Operator, "system/Task.rus");
        task = await (await operators.GetAsync($"Task/{task.Id}")).ReadResourceAsync<FhirTask>();

        using var accept = await Referrals.PutAsync(operators, task, Status.Accepted);
        Assert.Equal(HttpStatusCode.Conflict, accept.StatusCode);

        var withdrawn = await Referrals.MoveAsync(operators, task, Status.EnteredInError);
        Assert.Equal(Status.EnteredInError, withdrawn.Status);
    }

    [Fact]
    public async Task A_patch_is_held_to_the_same_state_machine()
    {
        var (_, task, housing) = await Routed();

        using var response = await housing.SendAsync(HttpMethod.Patch, $"Task/{task.Id}",
            FhirHttp.Content("""[{"op":"replace","path":"/status","value":"in-progress"}]""", "application/json-patch+json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("cannot move to in-progress", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transaction_is_held_to_the_same_state_machine_and_changes_nothing()
    {
        var (_, task, housing) = await Routed();
        var accepted = (FhirTask)task.DeepCopy();
        accepted.Status = Status.InProgress;
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry = [new Bundle.EntryComponent { Resource = accepted, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Task/{task.Id}" } }],
        };

        using var response = await housing.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("entry[0]", (await response.ReadOutcomeAsync()).Issue[0].Expression.Single(), StringComparison.Ordinal);
        Assert.Equal("1", (await housing.ReferralTaskAsync(task.Focus.Reference.Split('/')[1])).Meta.VersionId);
    }
}
