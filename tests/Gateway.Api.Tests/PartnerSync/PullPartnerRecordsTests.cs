using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.Workflow;
using Gateway.Jobs.PartnerSync;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.PartnerSync;

/// <summary>SPEC §6: housing-case records pulled on a schedule from the partner's export, with a since-cursor.</summary>
public sealed class PullPartnerRecordsTests(PartnerSyncGateway gateway) : IClassFixture<PartnerSyncGateway>
{
    private readonly string _pullJob = PullPartnerRecordsJob.RecurringId(TestPartners.Housing);

    [Fact]
    public async Task A_pull_applies_every_page_advances_the_cursor_and_the_next_pull_starts_from_it()
    {
        var first = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var second = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        gateway.Export.Records.Enqueue(first.Record);
        gateway.Export.Records.Enqueue(second.Record);
        gateway.Export.Records.Enqueue(RecordHttp.InvalidHousingCase());

        await HangfireJobs.RunAsync(gateway, _pullJob);

        Assert.Equal([null, "2", "3"], gateway.Export.Requests);
        Assert.Equal(FhirTask.TaskStatus.InProgress, (await gateway.Client.ReferralTaskAsync(first.RequestId)).Status);
        Assert.Equal(FhirTask.TaskStatus.InProgress, (await gateway.Client.ReferralTaskAsync(second.RequestId)).Status);
        Assert.Equal("3", await CursorAsync());
        Assert.Equal(["applied", "applied", "rejected"], await PulledStatesAsync());

        var third = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        gateway.Export.Records.Enqueue(third.Record);
        gateway.Export.Requests.Clear();

        await HangfireJobs.RunAsync(gateway, _pullJob);

        Assert.Equal(["3", "4"], gateway.Export.Requests);
        Assert.Equal(4, gateway.Export.Served);
        Assert.Equal(FhirTask.TaskStatus.InProgress, (await gateway.Client.ReferralTaskAsync(third.RequestId)).Status);
        Assert.Equal("4", await CursorAsync());
        Assert.Equal(["applied", "applied", "rejected", "applied"], await PulledStatesAsync());
    }

    private async Task<string?> CursorAsync()
    {
        await using var command = gateway.Database.CreateCommand($"select cursor from partner_sync_cursor where partner_id = '{TestPartners.Housing}'");
        return await command.ExecuteScalarAsync() as string;
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
}
