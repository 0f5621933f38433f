using System.Net;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Records;

/// <summary>housing-case/v1 through <c>POST /records</c>: stored raw, linked, applied once through the workflow, or rejected with reasons.</summary>
public sealed class HousingCaseRecordTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _gp = gateway.Client;

    private async Task<(string ReferralId, string NhsNumber, SentReferral Referral, HttpClient Housing)> Referral()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        var patient = await (await _gp.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Patient>();
        return (request.Identifier.Single().Value, patient.Identifier.Single().Value, referral, await gateway.CreateClientAsync(TestPartners.Housing));
    }

    [Fact]
    public async Task A_record_without_a_token_is_401_saying_which_token_it_needs()
    {
        using var anonymous = new HttpClient { BaseAddress = gateway.Root };
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        using var response = await anonymous.PostAsync("records", content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var outcome = await response.JsonAsync();
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Contains("gateway/records.write", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engaged_case_with_ons4_moves_the_task_on_and_gives_the_gp_the_measure()
    {
        var (referralId, nhs, referral, housing) = await Referral();

        using var response = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, nhs));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        Assert.Equal("accepted", report.GetProperty("outcome").GetString());
        var task = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(FhirTask.TaskStatus.InProgress, task.Status);
        Assert.Equal("3", task.Meta.VersionId);
        Assert.Contains(task.Note, n => n.Text.StartsWith("Lives alone", StringComparison.Ordinal));
        var measures = await _gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{referral.RequestId}");
        var ons4 = (QuestionnaireResponse)measures.Entry.Single().Resource;
        Assert.Equal("https://interop-gateway.example/fhir/Questionnaire/ons4", ons4.Questionnaire);
        Assert.Equal($"Patient/{referral.PatientId}", ons4.Subject.Reference);
        var produced = report.GetProperty("produced").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains($"QuestionnaireResponse/{ons4.Id}/_history/1", produced);
        Assert.Contains($"Task/{task.Id}/_history/3", produced);
        var provenance = (await _gp.SearchAsync($"Provenance?target=Task/{task.Id}")).Entry.Select(e => (Provenance)e.Resource)
            .Single(p => p.Entity.Any(e => e.What.Identifier?.System == "https://interop-gateway.example/fhir/NamingSystem/partner-record"));
        Assert.Equal(report.GetProperty("recordId").GetString(), provenance.Entity.Single().What.Identifier.Value);
    }

    [Fact]
    public async Task The_same_message_again_is_unchanged_and_touches_nothing()
    {
        var (referralId, nhs, referral, housing) = await Referral();
        var record = RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, nhs);
        using (await housing.PostRecordAsync(record))
        {
        }

        var before = await gateway.CountResourcesAsync();
        using var again = await housing.PostRecordAsync(record);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("unchanged", (await again.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(before, await gateway.CountResourcesAsync());
        Assert.Equal("3", (await _gp.ReferralTaskAsync(referral.RequestId)).Meta.VersionId);
    }

    [Fact]
    public async Task The_invalid_sample_is_422_naming_each_field_and_kept_with_its_reasons()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var json = Samples.Read("housing-case/04-invalid.json").Replace("\"hfactor-housing\"", $"\"{TestPartners.Housing}\"", StringComparison.Ordinal)
            .Replace("e9f1b2c3-0000-4bad-9bad-000000000004", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        var before = await gateway.CountResourcesAsync();

        using var response = await housing.PostRecordAsync(json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        var locations = outcome.Issue.SelectMany(i => i.Location).ToList();
        Assert.Contains("$.tenant.nhsNumber", locations);
        Assert.Contains("$.tenant.dateOfBirth", locations);
        Assert.Contains("$.status", locations);
        Assert.Contains("$.statusChangedAt", locations);
        Assert.Equal(before, await gateway.CountResourcesAsync());
        using var kept = await housing.GetAsync(response.Headers.Location!.ToString().Replace("/records", "../records", StringComparison.Ordinal));
        var record = await kept.JsonAsync();
        Assert.Equal("rejected", record.GetProperty("state").GetString());
        Assert.Equal(outcome.Issue.Count, record.GetProperty("issues").GetArrayLength());
    }

    [Fact]
    public async Task A_case_closed_as_completed_with_nothing_taken_up_is_refused_by_the_task_profile_and_nothing_is_stored()
    {
        // requested -> accepted -> completed: the Task is validated once, at its last step (issue 18), and that step breaks gw-task-2.
        var (referralId, nhs, referral, housing) = await Referral();
        var record = System.Text.Json.Nodes.JsonNode.Parse(RecordHttp.HousingCase("02-closed-completed.json", referralId, nhs))!;
        record["activities"] = new System.Text.Json.Nodes.JsonArray();
        record["wellbeing"] = new System.Text.Json.Nodes.JsonArray();
        var before = await gateway.CountResourcesAsync();

        using var response = await housing.PostRecordAsync(record.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = (await response.ReadOutcomeAsync()).Issue.Single();
        Assert.Contains("gw-task-2", issue.Diagnostics + issue.Details?.Text, StringComparison.Ordinal);
        var task = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Equal("1", task.Meta.VersionId);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_record_for_a_referral_the_provider_does_not_own_is_rejected_not_guessed()
    {
        var (_, nhs, _, housing) = await Referral();

        using var response = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", "SP-not-a-referral", nhs));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = (await response.ReadOutcomeAsync()).Issue.Single();
        Assert.Equal("$.referral", issue.Location.Single());
        Assert.Equal("unknown-referral", issue.Details.Text);
    }

    [Fact]
    public async Task A_tenant_who_is_not_the_referrals_patient_is_rejected()
    {
        var (referralId, _, _, housing) = await Referral();

        using var response = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, Resources.NewNhsNumber()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Location.Single() == "$.tenant.nhsNumber" && i.Details.Text == "patient-mismatch");
    }

    [Fact]
    public async Task A_record_in_another_providers_name_is_refused()
    {
        var (referralId, nhs, _, housing) = await Referral();
        var forged = RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, nhs).Replace($"\"{TestPartners.Housing}\"", "\"someone-else\"", StringComparison.Ordinal);

        using var response = await housing.PostRecordAsync(forged);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("$.provider", (await response.ReadOutcomeAsync()).Issue.Single().Location.Single());
    }

    [Fact]
    public async Task An_illegal_move_is_rejected_with_the_allowed_moves_and_nothing_is_applied()
    {
        var (referralId, nhs, referral, housing) = await Referral();
        var task = await housing.ReferralTaskAsync(referral.RequestId);
        await Referrals.MoveAsync(housing, task, FhirTask.TaskStatus.Rejected, t => t.StatusReason = Referrals.Reason("Not our tenant"));
        var before = await gateway.CountResourcesAsync();

        using var response = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, nhs));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = (await response.ReadOutcomeAsync()).Issue.Single();
        Assert.Equal("conflict", issue.Details.Text);
        Assert.Contains("Allowed from rejected: entered-in-error", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_late_older_update_never_moves_the_task_back_but_its_measures_are_kept()
    {
        var (referralId, nhs, referral, housing) = await Referral();
        var completed = RecordHttp.HousingCase("02-closed-completed.json", referralId, nhs)
            .Replace("2026-12-20T15:05:00Z", "2026-11-20T15:05:00Z", StringComparison.Ordinal)
            .Replace("2026-12-18", "2026-11-18", StringComparison.Ordinal);
        using (var first = await housing.PostRecordAsync(completed))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var late = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, nhs));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains("not moved back", (await late.JsonAsync()).GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(FhirTask.TaskStatus.Completed, (await _gp.ReferralTaskAsync(referral.RequestId)).Status);
        Assert.Equal(RequestStatus.Completed, (await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>()).Status);
        Assert.Equal(2, (await _gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{referral.RequestId}")).Entry.Count);
    }

    [Fact]
    public async Task A_contact_attempt_by_gateway_task_id_moves_the_task_and_keeps_the_notes_from_the_gp()
    {
        var patient = Resources.Patient("9996613186");
        patient.BirthDate = "1979-11-23";
        var stored = await _gp.CreateAsync(patient);
        await _gp.CreateAsync(Resources.Consent(stored.Id, TestPartners.Housing));
        var request = await _gp.CreateAsync(Resources.ServiceRequest(stored.Id, TestPartners.Gp, TestPartners.Housing));
        var task = await _gp.ReferralTaskAsync(request.Id);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var json = Samples.Read("housing-case/03-contact-attempted-no-consent.json")
            .Replace("REPLACE-WITH-TASK-ID", task.Id, StringComparison.Ordinal)
            .Replace("\"hfactor-housing\"", $"\"{TestPartners.Housing}\"", StringComparison.Ordinal);

        using var response = await housing.PostRecordAsync(json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var moved = await _gp.ReferralTaskAsync(request.Id);
        Assert.Equal(FhirTask.TaskStatus.Accepted, moved.Status);
        Assert.Equal("contact-attempted", moved.BusinessStatus.Coding.Single().Code);
        Assert.Empty(moved.Note);
        Assert.DoesNotContain("Letter sent", await (await _gp.GetAsync($"Task/{task.Id}/_history")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_that_arrived_before_its_referral_is_replayed_once_the_referral_is_there()
    {
        var nhs = Resources.NewNhsNumber();
        var referralId = "SP-" + Guid.NewGuid().ToString("N");
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        using var early = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, nhs));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        var location = early.Headers.Location!.ToString();

        var patient = await _gp.CreateAsync(Resources.Patient(nhs));
        await _gp.CreateAsync(Resources.Consent(patient.Id, TestPartners.Housing));
        var request = Resources.ServiceRequest(patient.Id, TestPartners.Gp, TestPartners.Housing);
        request.Identifier = [new Identifier("https://hillside.example/referrals", referralId)];
        request = await _gp.CreateAsync(request);
        using var replay = await housing.PostAsync(".." + location + "/replay", null);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("accepted", (await replay.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(FhirTask.TaskStatus.InProgress, (await _gp.ReferralTaskAsync(request.Id)).Status);
        var record = await (await housing.GetAsync(".." + location)).JsonAsync();
        Assert.Equal("applied", record.GetProperty("state").GetString());
        Assert.Equal(2, record.GetProperty("attempts").GetInt32());
        using var again = await housing.PostAsync(".." + location + "/replay", null);
        Assert.Equal("unchanged", (await again.JsonAsync()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Another_partners_record_is_not_found()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        using var rejected = await housing.PostRecordAsync("{ not json");
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);

        using var response = await welfare.GetAsync(".." + rejected.Headers.Location);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var issue = (await rejected.ReadOutcomeAsync()).Issue.Single();
        Assert.StartsWith("$: The record is not valid JSON (line 1", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_records_scope_the_api_is_403_naming_it()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing, "system/Task.rus");

        using var response = await housing.PostRecordAsync("{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("gateway/records.write", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }
}
