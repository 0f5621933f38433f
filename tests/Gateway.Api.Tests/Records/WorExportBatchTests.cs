using System.Net;
using System.Text;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// The wor-export/v1 sample file through <c>POST /records/batch</c>: the Dutch GP's referrals its
/// valid rows name exist; rows 5 and 6 are invalid on purpose.
/// </summary>
public sealed class WorExportBatchTests(GatewayApp gateway) : IClassFixture<GatewayApp>, IAsyncLifetime
{
    private Dictionary<string, string> _requests = [];
    private HttpClient _gp = null!;
    private HttpClient _welfare = null!;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        _gp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        _welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        _requests = await WorExportReferrals.CreateAsync(_gp);
    }

    public System.Threading.Tasks.Task DisposeAsync() => System.Threading.Tasks.Task.CompletedTask;

    [Fact]
    public async System.Threading.Tasks.Task The_sample_file_applies_rows_1_to_4_reports_5_and_6_and_a_second_upload_changes_nothing()
    {
        var file = Encoding.UTF8.GetBytes(Samples.Read("wor-export/2026-10-31-wor-kampen.csv"));

        using var response = await _welfare.PostBatchAsync("wor-export/v1", file, "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        var rows = report.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal(["accepted", "accepted", "accepted", "accepted", "rejected", "rejected"], rows.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Contains(rows[4].GetProperty("issues").EnumerateArray(), i => i.GetProperty("location").GetString() == "row 5, column verwijzing_id");
        var row6 = rows[5].GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("location").GetString()).ToList();
        Assert.Contains("row 6, column status", row6);
        Assert.Contains("row 6, column geboortedatum", row6);
        Assert.Equal(4, report.GetProperty("summary").GetProperty("accepted").GetInt32());

        var completed = await _gp.ReferralTaskAsync(_requests["WOR-2026-0093"]);
        Assert.Equal(FhirTask.TaskStatus.Completed, completed.Status);
        Assert.Equal(RequestStatus.Completed, (await (await _gp.GetAsync($"ServiceRequest/{_requests["WOR-2026-0093"]}")).ReadResourceAsync<ServiceRequest>()).Status);
        var measures = await _gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{_requests["WOR-2026-0091"]}");
        Assert.Equal("https://interop-gateway.example/fhir/Questionnaire/positive-health", ((QuestionnaireResponse)measures.Entry.Single().Resource).Questionnaire);
        Assert.Equal(FhirTask.TaskStatus.Failed, (await _gp.ReferralTaskAsync(_requests["WOR-2026-0094"])).Status);

        var before = await gateway.CountResourcesAsync();
        using var again = await _welfare.PostBatchAsync("wor-export/v1", file, "text/csv");
        var second = (await again.JsonAsync()).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString());
        Assert.Equal(["unchanged", "unchanged", "unchanged", "unchanged", "rejected", "rejected"], second);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_row_whose_surname_or_birth_date_is_not_the_referrals_patients_is_rejected_and_case_and_spaces_do_not_count()
    {
        var header = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").Split('\n')[0].TrimEnd('\r');
        var file = Encoding.UTF8.GetBytes(header + "\n"
            + "WOR-2026-0091;01234567;Jansen;14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;;;;;;;;ja;\n"
            + "WOR-2026-0092;01234567;  JANSEN ;04-07-1985;8262 CD;arrangement_gestart;15-10-2026;A. Bakker;Wandelgroep;;;;;;;;ja;\n");

        using var response = await _welfare.PostBatchAsync("wor-export/v1", file, "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["rejected", "rejected"], rows.Select(r => r.GetProperty("outcome").GetString()));
        string Locations(int row) => string.Join(" | ", rows[row].GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("location").GetString()));
        Assert.Equal("row 1, column achternaam", Locations(0));
        Assert.Equal("row 2, column geboortedatum", Locations(1));
    }

    [Fact]
    public async System.Threading.Tasks.Task Non_ascii_text_of_a_row_is_stored_and_read_back_exactly_and_a_second_upload_changes_nothing()
    {
        const string Surname = "Ĳsbrand-Çelik";
        const string Arrangement = "Moestuin De Ĳsvogel 🌱 met Zoë";
        const string Feedback = "Gaat goed 😀, café elke dinsdag, Ĳ is één letter.";
        var referral = $"WOR-U8-{Guid.NewGuid():N}";
        var patient = Resources.Patient(family: Surname);
        patient.Identifier = [new Identifier(Gateway.Fhir.Access.DataMinimisation.BsnSystem, Workflow.Referrals.NewBsn())];
        patient.BirthDate = "1971-05-09";
        var patientId = (await _gp.CreateAsync(patient)).Id!;
        await _gp.CreateAsync(Resources.Consent(patientId, TestPartners.Welfare));
        var request = Resources.ServiceRequest(patientId, TestPartners.DutchGp, TestPartners.Welfare);
        request.Identifier = [new Identifier("https://de-brug.example/verwijzingen", referral)];
        var requestId = (await _gp.CreateAsync(request)).Id!;
        var header = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").Split('\n')[0].TrimEnd('\r');
        var file = Encoding.UTF8.GetBytes(header + "\n"
            + $"{referral};01234567;{Surname};09-05-1971;8261 AB;arrangement_gestart;15-10-2026;A. Bakker;{Arrangement};;;;;;;;ja;{Feedback}\n");

        using var response = await _welfare.PostBatchAsync("wor-export/v1", file, "text/csv");

        // Accepted: the linker read the stored Patient's surname back as it was written.
        var report = await response.JsonAsync();
        Assert.True(report.GetProperty("records")[0].GetProperty("outcome").GetString() == "accepted", report.ToString());
        var task = await _gp.ReferralTaskAsync(requestId);
        Assert.Equal(FhirTask.TaskStatus.InProgress, task.Status);
        Assert.Contains(task.Output, o => o.Value is CodeableConcept { Text: Arrangement });
        Assert.Equal(Feedback, task.Note.Single().Text);
        using var read = await _gp.GetAsync($"Task/{task.Id}");
        var body = await read.Content.ReadAsByteArrayAsync();
        // Letters outside ASCII go out as UTF-8, not escaped (an emoji is escaped, as Firely's serializer writes it).
        Assert.True(body.AsSpan().IndexOf("Moestuin De Ĳsvogel "u8) >= 0 && body.AsSpan().IndexOf("café elke dinsdag, Ĳ is één letter."u8) >= 0, Encoding.UTF8.GetString(body));
        await using (var stored = gateway.Database.CreateCommand("""
            select count(*) from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = 'Task' and r.resource_id = $1 and v.body #>> '{output,0,valueCodeableConcept,text}' = $2 and v.body #>> '{note,0,text}' = $3
            """))
        {
            stored.Parameters.Add(new() { Value = task.Id });
            stored.Parameters.Add(new() { Value = Arrangement });
            stored.Parameters.Add(new() { Value = Feedback });
            Assert.Equal(1L, await stored.ExecuteScalarAsync());
        }

        // The chunk reads the stored Task back and finds the row already applied.
        var before = await gateway.CountResourcesAsync();
        using var again = await _welfare.PostBatchAsync("wor-export/v1", file, "text/csv");
        Assert.Equal(["unchanged"], (await again.JsonAsync()).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_file_with_a_bsn_column_is_refused_whole_before_any_row_is_stored()
    {
        var file = Encoding.UTF8.GetBytes("verwijzing_id;bsn\nWOR-1;123456782\n");

        using var response = await _welfare.PostBatchAsync("wor-export/v1", file, "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Location.Single().Contains("bsn", StringComparison.Ordinal));
        await using var rows = gateway.Database.CreateCommand("select count(*) from partner_record where format = 'wor-export/v1' and body like '%WOR-1\"%'");
        Assert.Equal(0L, await rows.ExecuteScalarAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_housing_provider_cannot_send_a_welfare_export()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var file = Encoding.UTF8.GetBytes(Samples.Read("wor-export/2026-10-31-wor-kampen.csv"));

        using var response = await housing.PostBatchAsync("wor-export/v1", file, "text/csv");

        var rows = (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal("rejected", r.GetProperty("outcome").GetString()));
        Assert.Contains("welfare-organisation", rows[0].GetProperty("issues")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_batch_without_a_format_is_400_saying_which_formats_there_are()
    {
        using var response = await _welfare.PostAsync("../records/batch", new StringContent("x"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("wor-export/v1", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }
}
