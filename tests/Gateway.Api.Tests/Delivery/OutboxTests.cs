using System.Net;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Delivery;

/// <summary>The outbox's promises: a notification commits with its change or not at all, and the jobs drain it on a schedule as well as by polling.</summary>
public sealed class OutboxTests(DeliveryGatewayApp gateway) : IClassFixture<DeliveryGatewayApp>
{
    [Fact]
    public async Task A_routed_referral_commits_with_the_webhook_row_of_its_task()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);

        Assert.Contains(("referral-webhook", $"webhook/{TestPartners.Housing}", int.Parse(task.Meta.VersionId, System.Globalization.CultureInfo.InvariantCulture)), await RowsAsync(task.Id));
    }

    [Fact]
    public async Task A_refused_write_leaves_no_notification()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var task = await housing.ReferralTaskAsync(referral.RequestId);
        var before = await RowsAsync(task.Id);

        using var refused = await Referrals.PutAsync(housing, task, Status.InProgress);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(before, await RowsAsync(task.Id));
    }

    [Fact]
    public async Task The_outbox_is_also_drained_by_a_recurring_job_every_minute()
    {
        await using var command = gateway.Database.CreateCommand("select value from hangfire.hash where key = 'recurring-job:notification-outbox' and field = 'Cron'");

        Assert.Equal("* * * * *", await command.ExecuteScalarAsync());
    }

    private async Task<List<(string Kind, string Target, int Version)>> RowsAsync(string taskId)
    {
        await using var command = gateway.Database.CreateCommand("select kind, target, resource_version from notification_outbox where resource_type = 'Task' and resource_id = $1 order by id");
        command.Parameters.Add(new() { Value = taskId });
        var rows = new List<(string, string, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return rows;
    }
}
