using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Records;
using Gateway.Jobs.PartnerSync;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.PartnerSync;

/// <summary>Records stored but never processed (the process stopped in between) are applied by the recovery job.</summary>
public sealed class PendingRecordsTests(PartnerSyncGateway gateway) : IClassFixture<PartnerSyncGateway>
{
    [Fact]
    public async Task A_record_left_received_is_applied_by_the_recovery_job_and_one_just_received_is_left_alone()
    {
        var (old, oldRequest) = await StoreUnprocessedAsync(DateTimeOffset.UtcNow.AddMinutes(-5));
        var (fresh, freshRequest) = await StoreUnprocessedAsync(DateTimeOffset.UtcNow.AddMinutes(5));

        await HangfireJobs.RunAsync(gateway, PendingRecordsJob.RecurringId);

        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        Assert.Equal("applied", (await (await housing.GetAsync($"../records/{old.RecordId}")).JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(FhirTask.TaskStatus.InProgress, (await gateway.Client.ReferralTaskAsync(oldRequest)).Status);
        Assert.Equal("received", (await (await housing.GetAsync($"../records/{fresh.RecordId}")).JsonAsync()).GetProperty("state").GetString());
        Assert.NotEqual(FhirTask.TaskStatus.InProgress, (await gateway.Client.ReferralTaskAsync(freshRequest)).Status);
    }

    // As if a process had stored the record and stopped before applying it.
    private async Task<(ReceivedRecord Record, string RequestId)> StoreUnprocessedAsync(DateTimeOffset receivedAt)
    {
        var (requestId, json) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var envelope = RecordEnvelope.Read(json);
        var record = await gateway.Services.GetRequiredService<RecordLog>()
            .StoreAsync(TestPartners.Housing, envelope.Format, envelope.Key, json, "api", null, null, receivedAt, CancellationToken.None);
        return (record, requestId);
    }
}
