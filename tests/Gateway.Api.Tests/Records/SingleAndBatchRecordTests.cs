using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// Issue 18, ninth pass: a housing-case record sent alone (<c>POST /records</c>, which finds its
/// referral's Tasks and measures with lookups of its own) and the same record in a JSON batch (a
/// chunk's lookups) store the same and report the same: accepted, then unchanged when it comes
/// again, and an invalid one rejected with the same reasons.
/// </summary>
public sealed class SingleAndBatchRecordTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task A_record_alone_and_in_a_batch_stores_and_reports_the_same_also_again_and_when_invalid()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var (aloneRequest, aloneRecord) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var (batchRequest, batchRecord) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var aloneInvalid = RecordHttp.InvalidHousingCase();
        var batchInvalid = RecordHttp.InvalidHousingCase();

        var alone = new List<JsonElement>();
        foreach (var json in new[] { aloneRecord, aloneRecord, aloneInvalid })
        {
            using var response = await housing.PostRecordAsync(json);
            alone.Add(await RecordHttp.StoredAsync(housing, response));
        }

        using var batch = await housing.PostBatchAsync("housing-case/v1", Encoding.UTF8.GetBytes($"[{batchRecord},{batchRecord},{batchInvalid}]"), "application/json");
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var batchReports = (await batch.JsonAsync()).GetProperty("records").EnumerateArray().ToList();

        Assert.Equal(["accepted", "unchanged", "rejected"], batchReports.Select(r => r.GetProperty("outcome").GetString()));
        for (var i = 0; i < 3; i++)
        {
            var stored = await (await housing.GetAsync($"../records/{batchReports[i].GetProperty("recordId").GetString()}")).JsonAsync();
            Assert.Equal(RecordHttp.Normalised(alone[i]), RecordHttp.Normalised(stored));
        }

        // The referral as the GP sees it: the Task moved alike, one measurement each with the same answers.
        var aloneTask = await gateway.Client.ReferralTaskAsync(aloneRequest);
        var batchTask = await gateway.Client.ReferralTaskAsync(batchRequest);
        Assert.Equal(aloneTask.Status, batchTask.Status);
        Assert.Equal(aloneTask.Meta.VersionId, batchTask.Meta.VersionId);
        Assert.Equal(aloneTask.BusinessStatus?.Coding.Single().Code, batchTask.BusinessStatus?.Coding.Single().Code);
        Assert.Equal(aloneTask.Note.Select(n => n.Text), batchTask.Note.Select(n => n.Text));
        Assert.Equal(await MeasuresAsync(aloneRequest), await MeasuresAsync(batchRequest));
    }

    private async Task<string> MeasuresAsync(string requestId)
    {
        var measures = await gateway.Client.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{requestId}");
        return string.Join(";", measures.Entry.Select(e => (QuestionnaireResponse)e.Resource)
            .Select(m => $"{m.Questionnaire} {m.Meta.VersionId} {string.Join(",", m.Item.Select(i => i.LinkId + "=" + string.Join("|", i.Answer.Select(a => a.Value?.ToString()))))}"));
    }
}
