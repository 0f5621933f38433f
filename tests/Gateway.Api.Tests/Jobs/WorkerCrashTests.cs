using Gateway.Api.Tests.PartnerSync;
using Gateway.Api.Tests.Workflow;
using Gateway.Jobs.Delivery;
using Gateway.Jobs.PartnerSync;
using Gateway.Testing;

namespace Gateway.Api.Tests.Jobs;

/// <summary>
/// A worker killed mid-job loses nothing: the outbox rows and Hangfire's queue are in PostgreSQL,
/// and what the dead process had taken is taken up by the next (README, "Jobs, roles and probes").
/// </summary>
public sealed class WorkerCrashTests(ScaleOutGateway gateway) : IClassFixture<ScaleOutGateway>
{
    [Fact]
    public async Task A_webhook_in_flight_when_its_worker_is_killed_is_delivered_by_the_next_worker_with_the_same_request_id()
    {
        await gateway.StopWorkersAsync();
        gateway.Receiver.Hold(ScaleOutGateway.WebhookPath);
        var first = await gateway.StartWorkerAsync();
        await Referrals.SendUkSampleAsync(gateway.Client);
        var inFlight = await gateway.Receiver.WaitForAsync(ScaleOutGateway.WebhookPath, r => r.Count >= 1, TimeSpan.FromSeconds(60));
        var requestId = inFlight[0].Header(ReferralWebhookSender.RequestIdHeader)!;

        first.Kill();
        gateway.Receiver.Release(ScaleOutGateway.WebhookPath);
        Assert.Equal("pending", await RowStateAsync(requestId));
        await gateway.StartWorkerAsync();

        Assert.Equal("delivered", await ClockedJobsGatewayApp.EventuallyAsync(() => RowStateAsync(requestId), s => s == "delivered", TimeSpan.FromSeconds(90)));
        var sent = gateway.Receiver.On(ScaleOutGateway.WebhookPath).Where(r => r.Header(ReferralWebhookSender.RequestIdHeader) == requestId).ToList();
        Assert.True(sent.Count >= 2, "The held attempt and the one after the crash both came.");
        Assert.Single(sent.Select(r => r.BodyText).Distinct());
    }

    [Fact]
    public async Task A_pull_whose_worker_is_killed_mid_page_is_run_again_by_another_worker_after_the_invisibility_timeout()
    {
        await gateway.StopWorkersAsync();
        var release = new TaskCompletionSource();
        gateway.Export.Failure = async context =>
        {
            await release.Task;
            context.Response.StatusCode = 503;
        };
        var first = await gateway.StartWorkerAsync();
        var run = HangfireJobs.Trigger(gateway, PullPartnerRecordsJob.RecurringId(TestPartners.Housing));
        await ClockedJobsGatewayApp.EventuallyAsync(() => System.Threading.Tasks.Task.FromResult(gateway.Export.Requests.Count), n => n >= 1, TimeSpan.FromSeconds(90));
        Assert.NotEmpty(gateway.Export.Requests);

        first.Kill();
        gateway.Export.Failure = null;
        release.SetResult();
        await gateway.StartWorkerAsync();

        var state = await HangfireJobs.WaitForStateAsync(gateway, run, "Succeeded", "Failed");
        var history = HangfireJobs.History(gateway, run);
        Assert.True(state.Name == "Succeeded", string.Join("; ", history));
        Assert.Equal(2, history.Count(h => h.StartsWith("Processing", StringComparison.Ordinal)));
        Assert.True(gateway.Export.Requests.Count >= 2, "The second worker asked the export again.");
    }

    private async Task<string?> RowStateAsync(string id)
    {
        await using var command = gateway.Database.CreateCommand("select state from notification_outbox where id = $1");
        command.Parameters.Add(new() { Value = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) });
        return await command.ExecuteScalarAsync() as string;
    }
}
