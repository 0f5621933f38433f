using System.Net;
using Gateway.Fhir.Conformance;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

/// <summary>Creates and updates of profiled types must pass the gateway's profiles: otherwise 422 with every issue, and nothing stored.</summary>
public sealed class ProfileEnforcementTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task A_patient_with_a_wrong_NHS_check_digit_is_422_naming_the_invariant_and_the_identifier()
    {
        var patient = Resources.Patient("9995908302");
        var before = await VersionCount();

        using var response = await _client.PostAsync("Patient", patient);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Equal(OperationOutcome.IssueType.Invariant, issue.Code);
        Assert.Equal(["Patient.identifier[0]"], issue.Expression);
        Assert.Equal((GatewayGuide.ValidationRuleSystem, "gw-pat-2"), (issue.Details.Coding[0].System, issue.Details.Coding[0].Code));
        Assert.StartsWith("gw-pat-2: ", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await VersionCount());
    }

    [Fact]
    public async Task Every_broken_rule_of_a_referral_is_reported_at_once()
    {
        var request = Resources.ServiceRequest("p1", "o1");
        request.Intent = RequestIntent.Proposal;
        request.Code = new CodeableConcept("http://snomed.info/sct", "73761001");
        request.ReasonCode.Clear();
        request.Subject = new ResourceReference("Group/g1");

        using var response = await _client.PostAsync("ServiceRequest", request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issues = (await response.ReadOutcomeAsync()).Issue;
        Assert.Equal(
            ["ServiceRequest", "ServiceRequest.code", "ServiceRequest.intent", "ServiceRequest.subject"],
            issues.SelectMany(i => i.Expression).Order(StringComparer.Ordinal));
        Assert.Equal(["binding", "fixed-value", "gw-sr-1", "reference-target"], issues.Select(i => i.Details.Coding[0].Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_update_that_breaks_the_task_profile_is_422_and_keeps_the_stored_version()
    {
        var task = await gateway.SeedAsync(Resources.Task("sr-1", "p-1", "o-1"));
        task.Status = Hl7.Fhir.Model.Task.TaskStatus.Rejected;

        using var response = await _client.PutAsync($"Task/{task.Id}", task);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Details.Coding[0].Code == "gw-task-1" && i.Expression.SequenceEqual(["Task"]));
        Assert.Equal("1", (await (await _client.GetAsync($"Task/{task.Id}")).ReadResourceAsync<Hl7.Fhir.Model.Task>()).Meta.VersionId);
    }

    [Fact]
    public async Task A_conditional_update_is_validated_too()
    {
        var patient = Resources.Patient();
        patient.BirthDate = null;

        using var response = await _client.PutAsync($"Patient?identifier={patient.Identifier[0].Value}", patient);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Expression.SequenceEqual(["Patient.birthDate"]));
    }

    [Fact]
    public async Task An_unknown_profile_in_meta_is_no_reason_to_refuse()
    {
        var patient = Resources.Patient();
        patient.Meta = new Meta { Profile = ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"] };

        using var response = await _client.PostAsync("Patient", patient);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_patient_with_a_BSN_is_accepted()
    {
        var patient = Resources.Patient();
        patient.Identifier = [new Identifier("http://fhir.nl/fhir/NamingSystem/bsn", "999911120")];

        using var response = await _client.PostAsync("Patient", patient);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_response_with_an_answer_out_of_range_is_422_at_the_answer()
    {
        var response = Resources.Ons4("sr-1", "p-1");
        response.Item[3].Answer[0].Value = new Integer(12);

        using var answer = await _client.PostAsync("QuestionnaireResponse", response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        Assert.Equal(["QuestionnaireResponse.item[3].answer[0].value"], Assert.Single((await answer.ReadOutcomeAsync()).Issue).Expression);
    }

    private async Task<long> VersionCount()
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from resource_version where resource_type <> 'AuditEvent'");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
