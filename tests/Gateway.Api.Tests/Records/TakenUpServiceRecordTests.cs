using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Tests.ServiceDirectory;
using Gateway.Api.Tests.Workflow;
using Gateway.Mapping.LocalOffer;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// Issue 20 item 5: the record formats name the directory service the patient took up
/// (housing-case <c>activities[].serviceId</c> / <c>sourceServiceId</c>, wor-export
/// <c>activiteit_id</c> / <c>healthcareservice_id</c>); it becomes the Task's resulting-activity
/// output referencing the HealthcareService, which the GP and referral/v1 carry. An unknown or
/// inactive service rejects the record, naming the field and the value, and changes nothing.
/// </summary>
public sealed class TakenUpServiceRecordTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _gp = gateway.Client;

    private async Task<(string ReferralId, string NhsNumber, SentReferral Referral)> HousingReferralAsync()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        var patient = await (await _gp.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Patient>();
        return (request.Identifier.Single().Value, patient.Identifier.Single().Value, referral);
    }

    // The closing sample, its first activity (befriending, completed) naming its service by the given field.
    private static string ClosedNaming(string referralId, string nhs, string field, string value)
    {
        var document = JsonNode.Parse(RecordHttp.HousingCase("02-closed-completed.json", referralId, nhs))!;
        document["activities"]![0]![field] = value;
        return document.ToJsonString();
    }

    private static List<ResourceReference> ServicesTakenUp(FhirTask task) =>
        task.Output.Where(o => o.Type.Coding.Any(c => c.Code == "resulting-activity")).Select(o => o.Value).OfType<ResourceReference>().ToList();

    [Fact]
    public async System.Threading.Tasks.Task A_housing_case_naming_the_service_taken_up_gives_the_gp_and_referral_v1_a_reference_to_it()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var service = await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Walsall Befriending Circle", "befriending", "WS1 3AY");
        var (referralId, nhs, referral) = await HousingReferralAsync();

        using var response = await housing.PostRecordAsync(ClosedNaming(referralId, nhs, "serviceId", $"HealthcareService/{service.Id}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("accepted", (await response.JsonAsync()).GetProperty("outcome").GetString());
        var task = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(FhirTask.TaskStatus.Completed, task.Status);
        var taken = Assert.Single(ServicesTakenUp(task));
        Assert.Equal($"HealthcareService/{service.Id}", taken.Reference);
        Assert.Equal("Walsall Befriending Circle", taken.Display);
        // The coded activities stay as they were.
        Assert.Equal(3, task.Output.Count(o => o.Value is CodeableConcept));

        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"));
        using var feed = await housing.GetAsync($"../records/referrals?since={since}");
        var entry = (await feed.JsonAsync()).GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("gatewayTaskId").GetString() == task.Id);
        var activity = Assert.Single(entry.GetProperty("resultingActivities").EnumerateArray().ToList());
        Assert.Equal($"HealthcareService/{service.Id}", activity.GetProperty("reference").GetString());
    }

    [Fact]
    public async System.Threading.Tasks.Task An_unknown_or_inactive_service_rejects_the_record_naming_the_field_and_the_value_and_changes_nothing()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var withdrawn = await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Closed Choir", "music", "WS1 1AA");
        withdrawn.Active = false;
        using (var put = await housing.PutAsync($"HealthcareService/{withdrawn.Id}", withdrawn))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var (referralId, nhs, referral) = await HousingReferralAsync();
        var before = (await _gp.ReferralTaskAsync(referral.RequestId)).Meta.VersionId;

        using var unknown = await housing.PostRecordAsync(ClosedNaming(referralId, nhs, "serviceId", "HealthcareService/no-such-service"));
        using var inactive = await housing.PostRecordAsync(ClosedNaming(referralId, nhs, "serviceId", withdrawn.Id));
        using var notMine = await housing.PostRecordAsync(ClosedNaming(referralId, nhs, "sourceServiceId", "svc-nobody-imported"));

        foreach (var (response, value, says) in new[]
        {
            (unknown, "no-such-service", "is not a service in the gateway's directory"),
            (inactive, withdrawn.Id, "which is not active"),
            (notMine, "svc-nobody-imported", "is not a service of your directory source"),
        })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var issue = (await response.ReadOutcomeAsync()).Issue.Single();
            var field = response == notMine ? "sourceServiceId" : "serviceId";
            Assert.Equal($"$.activities[0].{field}", issue.Location.Single());
            Assert.Contains($"'{value}'", issue.Diagnostics, StringComparison.Ordinal);
            Assert.Contains(says, issue.Diagnostics, StringComparison.Ordinal);
        }

        Assert.Equal("unknown-service", (await unknown.ReadOutcomeAsync()).Issue.Single().Details.Text);
        var task = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(before, task.Meta.VersionId);
        Assert.Empty(await _gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{referral.RequestId}") is { } measures ? measures.Entry : []);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_json_batch_names_services_by_the_providers_own_oruk_ids_each_record_reported_on_its_own()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var sourceId = "svc-taken-up-" + Guid.NewGuid().ToString("N")[..8];
        var oruk = $$$"""
            [{"id":"{{{sourceId}}}","name":"Bloxwich Walking Football","status":"active",
              "attributes":[{"taxonomy_term":{"id":"tt-pa","code":"physical-activity","name":"Physical activity","vocabulary":"{{{DirectoryEntries.ActivitySystem}}}"}}]}]
            """;
        using (var imported = await housing.PostBatchAsync(OrukServiceReader.Format, Encoding.UTF8.GetBytes(oruk), "application/json"))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        var (firstId, firstNhs, first) = await HousingReferralAsync();
        var (secondId, secondNhs, second) = await HousingReferralAsync();
        var batch = $"[{ClosedNaming(firstId, firstNhs, "sourceServiceId", sourceId)},{ClosedNaming(secondId, secondNhs, "sourceServiceId", "svc-never-listed")}]";

        using var response = await housing.PostBatchAsync("housing-case/v1", Encoding.UTF8.GetBytes(batch), "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["accepted", "rejected"], records.Select(r => r.GetProperty("outcome").GetString()));
        var issue = records[1].GetProperty("issues").EnumerateArray().Single();
        Assert.Equal("$.activities[0].sourceServiceId", issue.GetProperty("location").GetString());
        Assert.Equal("unknown-service", issue.GetProperty("code").GetString());
        Assert.Contains("'svc-never-listed'", issue.GetProperty("message").GetString(), StringComparison.Ordinal);

        var taken = Assert.Single(ServicesTakenUp(await _gp.ReferralTaskAsync(first.RequestId)));
        Assert.Equal("Bloxwich Walking Football", taken.Display);
        Assert.Equal(FhirTask.TaskStatus.Requested, (await _gp.ReferralTaskAsync(second.RequestId)).Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_wor_export_names_the_arrangement_by_activiteit_id_or_healthcareservice_id_row_by_row()
    {
        var dutchGp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var activity = "wor-act-" + Guid.NewGuid().ToString("N")[..8];
        var activities = $"id;naam;categorie;gemeente;adres;postcode;contact;neemt_verwijzingen_aan;wachttijd_dagen\n{activity};Moestuin Samen;volunteering;Kampen;Tuinweg 2;8262 AA;038 000 0004;ja;14\n";
        using (var imported = await welfare.PostBatchAsync(ActivitiesCsvReader.Format, Encoding.UTF8.GetBytes(activities), "text/csv"))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        var taalcafe = await DirectoryEntries.PublishAsync(welfare, TestPartners.Welfare, "Taalcafe", "befriending", "8261 EP", city: "Kampen");
        var requests = await WorExportReferrals.CreateAsync(dutchGp);
        var file = """
            verwijzing_id;verwijzer_agb;achternaam;geboortedatum;postcode;status;status_datum;welzijnscoach;arrangement;pg_meetdatum;pg_lichaamsfuncties;pg_mentaal_welbevinden;pg_zingeving;pg_kwaliteit_van_leven;pg_meedoen;pg_dagelijks_functioneren;toestemming_delen;terugkoppeling;activiteit_id;healthcareservice_id
            WOR-2026-0091;01234567;de Vries;14-02-1948;8261 AB;arrangement_gestart;02-10-2026;A. Bakker;Moestuin;;;;;;;;ja;;{0};
            WOR-2026-0092;01234567;Jansen;03-07-1985;8262 CD;arrangement_gestart;15-10-2026;A. Bakker;;;;;;;;;ja;;onbekend-123;
            WOR-2026-0093;01234567;El Amrani;22-09-1962;8061 EF;arrangement_gestart;20-10-2026;A. Bakker;;;;;;;;;nee;;;HealthcareService/{1}
            """.Replace("{0}", activity, StringComparison.Ordinal).Replace("{1}", taalcafe.Id, StringComparison.Ordinal);

        using var response = await welfare.PostBatchAsync("wor-export/v1", Encoding.UTF8.GetBytes(file), "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["accepted", "rejected", "accepted"], rows.Select(r => r.GetProperty("outcome").GetString()));
        var issue = rows[1].GetProperty("issues").EnumerateArray().Single();
        Assert.Equal("row 2, column activiteit_id", issue.GetProperty("location").GetString());
        Assert.Contains("'onbekend-123'", issue.GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal("Moestuin Samen", Assert.Single(ServicesTakenUp(await dutchGp.ReferralTaskAsync(requests["WOR-2026-0091"]))).Display);
        Assert.Equal($"HealthcareService/{taalcafe.Id}", Assert.Single(ServicesTakenUp(await dutchGp.ReferralTaskAsync(requests["WOR-2026-0093"]))).Reference);
        Assert.Equal(FhirTask.TaskStatus.Requested, (await dutchGp.ReferralTaskAsync(requests["WOR-2026-0092"])).Status);
    }
}
