using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>A gateway that applies chunks of two records, two chunks of a batch at once.</summary>
public sealed class TwoRecordChunksAtOnceGatewayApp : GatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Gateway:Records:ChunkRows", "2"), new("Gateway:Records:ChunksAtOnce", "2")];
}

/// <summary>
/// Issue 18: a JSON batch of housing-case records goes two chunks at once too, and one referral's
/// records still go in the batch's order, also when the chunks name it in different ways (the GP's
/// identifier in one, the gateway's Task id in the next): every report and every Task's end state
/// is what the row-at-a-time path gives.
/// </summary>
public sealed class JsonChunksAtOnceTests(TwoRecordChunksAtOnceGatewayApp atOnce, OneRecordChunksGatewayApp alone)
    : IClassFixture<TwoRecordChunksAtOnceGatewayApp>, IClassFixture<OneRecordChunksGatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task Chunks_of_one_referral_wait_for_each_other_whichever_way_they_name_it()
    {
        var atOnceRun = await SendAsync(atOnce);
        var aloneRun = await SendAsync(alone);

        Assert.Equal(ChunkedBatchTests.Normalised(aloneRun.Reports), ChunkedBatchTests.Normalised(atOnceRun.Reports));
        Assert.All(atOnceRun.Reports, r => Assert.Equal("accepted", r.GetProperty("outcome").GetString()));
        Assert.Equal(["completed", "completed", "completed", "completed"], atOnceRun.TaskStatuses);
        Assert.Equal(aloneRun.TaskStatuses, atOnceRun.TaskStatuses);
    }

    private static async System.Threading.Tasks.Task<(List<JsonElement> Reports, List<string> TaskStatuses)> SendAsync(GatewayApp gateway)
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var referrals = new List<(string Identifier, string NhsNumber, string TaskId)>();
        for (var i = 0; i < 4; i++)
        {
            var sent = await Referrals.SendUkSampleAsync(gateway.Client);
            var request = await (await gateway.Client.GetAsync($"ServiceRequest/{sent.RequestId}")).ReadResourceAsync<ServiceRequest>();
            var patient = await (await gateway.Client.GetAsync($"Patient/{sent.PatientId}")).ReadResourceAsync<Patient>();
            var task = (await housing.SearchAsync($"Task?focus=ServiceRequest/{sent.RequestId}")).Entry.Single().Resource;
            referrals.Add((request.Identifier.Single().Value, patient.Identifier.Single().Value, task.Id));
        }

        // Chunks of two: 1-2 engaged; 1-2 closed, naming them by Task id (waits: another way of
        // naming, maybe the same referrals); 3-4 engaged (runs beside it); 3-4 closed (waits: the same referrals).
        string Engaged(int r) => RecordHttp.HousingCase("01-engaged-with-ons4.json", referrals[r].Identifier, referrals[r].NhsNumber);
        string Closed(int r) => RecordHttp.HousingCase("02-closed-completed.json", referrals[r].Identifier, referrals[r].NhsNumber);
        string ClosedByTaskId(int r)
        {
            var record = JsonNode.Parse(Closed(r))!;
            record["referral"] = new JsonObject { ["gatewayTaskId"] = referrals[r].TaskId };
            return record.ToJsonString();
        }

        string[] records = [Engaged(0), Engaged(1), ClosedByTaskId(0), ClosedByTaskId(1), Engaged(2), Engaged(3), Closed(2), Closed(3)];
        using var response = await housing.PostBatchAsync("housing-case/v1", Encoding.UTF8.GetBytes("[" + string.Join(",", records) + "]"), "application/json");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var reports = (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();

        var statuses = new List<string>();
        foreach (var (_, _, taskId) in referrals)
        {
            statuses.Add(((Hl7.Fhir.Model.Task)await (await housing.GetAsync($"Task/{taskId}")).ReadResourceAsync<Hl7.Fhir.Model.Task>()).Status!.Value.ToString().ToLowerInvariant());
        }

        return (reports, statuses);
    }
}
