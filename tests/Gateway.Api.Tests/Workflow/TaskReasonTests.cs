using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Workflow;

/// <summary>Issue 17, item 6: a statusReason belongs to the move that gave it.</summary>
public sealed class TaskReasonTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private async Task<(FhirTask Task, HttpClient Housing)> Routed()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        return (await housing.ReferralTaskAsync(referral.RequestId), housing);
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string taskId, string patch) =>
        client.SendAsync(HttpMethod.Patch, $"Task/{taskId}", FhirHttp.Content(patch, "application/json-patch+json"));

    [Fact]
    public async System.Threading.Tasks.Task Back_in_progress_the_task_drops_the_on_hold_reason_and_a_cancel_needs_its_own()
    {
        var (task, housing) = await Routed();
        task = await Referrals.MoveAsync(housing, task, Status.Accepted);
        task = await Referrals.MoveAsync(housing, task, Status.OnHold, t => t.StatusReason = Referrals.Reason("Tenant in hospital"));

        using (var resumed = await PatchAsync(housing, task.Id, """[{"op":"replace","path":"/status","value":"in-progress"}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            Assert.Null((await resumed.ReadResourceAsync<FhirTask>()).StatusReason);
        }

        using var cancel = await PatchAsync(housing, task.Id, """[{"op":"replace","path":"/status","value":"cancelled"}]""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, cancel.StatusCode);
        Assert.Contains((await cancel.ReadOutcomeAsync()).Issue, i => i.Diagnostics.Contains("statusReason", StringComparison.Ordinal));
        Assert.Equal(Status.InProgress, (await (await housing.GetAsync($"Task/{task.Id}")).ReadResourceAsync<FhirTask>()).Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_move_between_states_with_reasons_cannot_reuse_the_previous_reason()
    {
        var (task, housing) = await Routed();
        task = await Referrals.MoveAsync(housing, task, Status.Accepted);
        task = await Referrals.MoveAsync(housing, task, Status.OnHold, t => t.StatusReason = Referrals.Reason("Tenant in hospital"));

        using var cancel = await PatchAsync(housing, task.Id, """[{"op":"replace","path":"/status","value":"cancelled"}]""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, cancel.StatusCode);
        var issue = Assert.Single((await cancel.ReadOutcomeAsync()).Issue, i => i.Expression.Contains("Task.statusReason"));
        Assert.Contains("carried over", issue.Diagnostics, StringComparison.Ordinal);

        var cancelled = await Referrals.MoveAsync(housing, task, Status.Cancelled, t => t.StatusReason = Referrals.Reason("The tenant withdrew"));
        Assert.Equal("The tenant withdrew", cancelled.StatusReason.Text);
    }
}
