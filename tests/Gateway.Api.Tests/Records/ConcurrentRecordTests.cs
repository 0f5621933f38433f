using System.Net;
using System.Text;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// Issue 17, item 1: copies of one record arriving at once apply it once; the others answer
/// unchanged, and the applied record stays applied. Different records about one referral arriving
/// at once all apply, each on top of the others.
/// </summary>
public sealed class ConcurrentRecordTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task Eight_concurrent_copies_of_one_housing_case_apply_once_and_stay_applied()
    {
        var (requestId, record) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        var responses = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(_ => housing.PostRecordAsync(record)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var outcomes = await System.Threading.Tasks.Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("outcome").GetString()));
        Assert.Single(outcomes, o => o == "accepted");
        Assert.Equal(7, outcomes.Count(o => o == "unchanged"));
        var recordId = (await responses[0].JsonAsync()).GetProperty("recordId").GetString();
        Assert.Equal("applied", (await (await housing.GetAsync($"../records/{recordId}")).JsonAsync()).GetProperty("state").GetString());

        using var later = await housing.PostRecordAsync(record);
        Assert.Equal("unchanged", (await later.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Single((await gateway.Client.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{requestId}")).Entry);
    }

    // Different records about one referral, sent at once: each builds on what the others applied
    // (its Task read again under the Task's lock), so none of their notes is lost.
    [Fact]
    public async System.Threading.Tasks.Task Six_different_housing_cases_for_one_referral_at_once_keep_every_note()
    {
        var (requestId, sample) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var notes = Enumerable.Range(1, 6).Select(i => $"Visit {i}: " + Guid.NewGuid().ToString("N")[..8]).ToList();
        var records = notes.Select(note =>
        {
            var record = System.Text.Json.Nodes.JsonNode.Parse(sample)!;
            record["notes"] = note;
            record["messageId"] = Guid.NewGuid().ToString();
            return record.ToJsonString();
        }).ToList();

        var responses = await System.Threading.Tasks.Task.WhenAll(records.Select(r => housing.PostRecordAsync(r)));

        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal("accepted", (await response.JsonAsync()).GetProperty("outcome").GetString());
        }

        var task = (Hl7.Fhir.Model.Task)(await housing.SearchAsync($"Task?focus=ServiceRequest/{requestId}")).Entry.Single().Resource;
        Assert.All(notes, note => Assert.Contains(task.Note, n => n.Text == note));
    }

    [Fact]
    public async System.Threading.Tasks.Task One_export_uploaded_three_times_at_once_applies_each_row_once()
    {
        var gp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var rows = new List<(string RequestId, string Line)>();
        for (var i = 0; i < 10; i++)
        {
            var verwijzing = "WOR-" + Guid.NewGuid().ToString("N")[..12];
            var family = "Client" + Guid.NewGuid().ToString("N")[..8];
            var stored = await gp.CreateAsync(DutchPatient(family));
            await gp.CreateAsync(Resources.Consent(stored.Id, TestPartners.Welfare));
            var serviceRequest = Resources.ServiceRequest(stored.Id, TestPartners.DutchGp, TestPartners.Welfare);
            serviceRequest.Identifier = [new Identifier("https://de-brug.example/verwijzingen", verwijzing)];
            rows.Add(((await gp.CreateAsync(serviceRequest)).Id!,
                $"{verwijzing};01234567;{family};14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;02-10-2026;5;4;3,5;4;2;6;ja;Intake gehad."));
        }

        var header = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").TrimStart('\uFEFF').Split('\n')[0].TrimEnd('\r');
        var file = Encoding.UTF8.GetBytes(header + "\n" + string.Join("\n", rows.Select(r => r.Line)) + "\n");

        var uploads = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 3).Select(_ => welfare.PostBatchAsync("wor-export/v1", file, "text/csv")));

        var reports = await System.Threading.Tasks.Task.WhenAll(uploads.Select(async u =>
            (await u.JsonAsync()).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()).ToList()));
        for (var row = 0; row < rows.Count; row++)
        {
            var outcomes = reports.Select(r => r[row]).ToList();
            Assert.Single(outcomes, o => o == "accepted");
            Assert.Equal(2, outcomes.Count(o => o == "unchanged"));
        }

        await using (var states = gateway.Database.CreateCommand("select count(*) from partner_record where partner_id = $1 and state <> 'applied'"))
        {
            states.Parameters.Add(new() { Value = TestPartners.Welfare });
            Assert.Equal(0L, await states.ExecuteScalarAsync());
        }

        using var next = await welfare.PostBatchAsync("wor-export/v1", file, "text/csv");
        Assert.All((await next.JsonAsync()).GetProperty("records").EnumerateArray(), r => Assert.Equal("unchanged", r.GetProperty("outcome").GetString()));
        foreach (var (requestId, _) in rows)
        {
            Assert.Single((await gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{requestId}")).Entry);
        }
    }

    private static Patient DutchPatient(string family)
    {
        var patient = Resources.Patient(family: family);
        patient.Identifier = [new Identifier(DataMinimisation.BsnSystem, Referrals.NewBsn())];
        patient.BirthDate = "1948-02-14";
        patient.Address = [new Address { PostalCode = "8261 AB", City = "Kampen", Country = "NL" }];
        return patient;
    }
}
