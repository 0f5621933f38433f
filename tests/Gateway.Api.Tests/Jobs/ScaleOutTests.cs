using Gateway.Api.Tests.PartnerSync;
using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.Workflow;
using Gateway.Jobs.Delivery;
using Gateway.Jobs.PartnerSync;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Jobs;

/// <summary>SPEC §2: several instances on one PostgreSQL, and each job runs once.</summary>
public sealed class ScaleOutTests(ScaleOutGateway gateway) : IClassFixture<ScaleOutGateway>
{
    private readonly string _pullJob = PullPartnerRecordsJob.RecurringId(TestPartners.Housing);

    [Fact]
    public async Task Two_workers_run_each_triggered_pull_once_apply_each_record_once_and_deliver_each_webhook_once()
    {
        await gateway.StartWorkerAsync();
        await gateway.StartWorkerAsync();
        var referrals = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (requestId, record) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
            referrals.Add(requestId);
            gateway.Export.Records.Enqueue(record);
        }

        var runs = Enumerable.Range(0, 4).Select(_ => HangfireJobs.Trigger(gateway, _pullJob)).ToList();
        foreach (var run in runs)
        {
            var state = await HangfireJobs.WaitForStateAsync(gateway, run, "Succeeded", "Failed");
            Assert.True(state.Name == "Succeeded", $"{run}: {string.Join("; ", HangfireJobs.History(gateway, run))}");
            Assert.Single(HangfireJobs.History(gateway, run), h => h.StartsWith("Processing", StringComparison.Ordinal));
        }

        // Two pages of two records: each fetched once; later runs only ask from the cursor on.
        var asked = gateway.Export.Requests.ToList();
        Assert.Single(asked, since => since is null);
        Assert.Single(asked, since => since == "2");
        Assert.All(asked.Where(since => since is not (null or "2")), since => Assert.Equal("4", since));
        Assert.Equal(4, gateway.Export.Served);
        Assert.Equal(["applied", "applied", "applied", "applied"], await PulledStatesAsync());
        foreach (var requestId in referrals)
        {
            Assert.Equal(FhirTask.TaskStatus.InProgress, (await gateway.Client.ReferralTaskAsync(requestId)).Status);
        }

        var rows = await ClockedJobsGatewayApp.EventuallyAsync(WebhookRowsAsync, r => r.Count >= referrals.Count && r.All(row => row.State == "delivered"), TimeSpan.FromSeconds(90));
        Assert.All(rows, row => Assert.Equal("delivered", row.State));
        var received = gateway.Receiver.On(ScaleOutGateway.WebhookPath).Select(r => r.Header(ReferralWebhookSender.RequestIdHeader)).ToList();
        Assert.Equal(rows.Select(r => r.Id).Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    private async Task<List<string>> PulledStatesAsync()
    {
        await using var command = gateway.Database.CreateCommand("select state from partner_record where source = 'pull' order by received_at");
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<string>();
        while (await reader.ReadAsync())
        {
            states.Add(reader.GetString(0));
        }

        return states;
    }

    private async Task<List<(string Id, string State)>> WebhookRowsAsync()
    {
        await using var command = gateway.Database.CreateCommand("select id::text, state from notification_outbox where kind = 'referral-webhook' order by id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
