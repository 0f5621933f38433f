using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

/// <summary>$validate: 200 with an OperationOutcome whatever the resource's state; 4xx only for a request it cannot carry out.</summary>
public sealed class ValidateOperationTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private const string TaskProfile = "https://interop-gateway.example/fhir/StructureDefinition/referral-task";
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task A_valid_resource_gets_one_information_issue_and_nothing_is_stored()
    {
        var before = await VersionCount();

        using var response = await _client.PostAsync("Patient/$validate", Resources.Patient());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, issue.Severity);
        Assert.Contains("gateway-patient", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await VersionCount());
    }

    [Fact]
    public async Task An_invalid_resource_is_200_with_its_errors()
    {
        var task = Resources.Task("sr", "p", "o");
        task.Focus = null;

        using var response = await _client.PostAsync("Task/$validate", task);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Expression.SequenceEqual(["Task.focus"]));
    }

    [Fact]
    public async Task Content_that_is_not_valid_FHIR_is_reported_not_refused()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "Patient/$validate", FhirHttp.Content("""{"resourceType":"Patient","gender":"sometimes"}""", FhirHttp.Json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Expression.SequenceEqual(["Patient.gender"]));
    }

    [Fact]
    public async Task A_profile_parameter_in_a_Parameters_body_validates_against_that_profile()
    {
        var task = Resources.Task("sr", "p", "o");
        task.Requester = null;
        var parameters = new Parameters();
        parameters.Add("resource", task);
        parameters.Add("profile", new Canonical(TaskProfile));

        using var response = await _client.PostAsync("Task/$validate", parameters);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Expression.SequenceEqual(["Task.requester"]));
    }

    [Fact]
    public async Task The_R4_base_profile_skips_the_gateways_profile()
    {
        var task = Resources.Task("sr", "p", "o");
        task.Requester = null;

        using var response = await _client.PostAsync("Task/$validate?profile=http://hl7.org/fhir/StructureDefinition/Task", task);

        Assert.Equal(OperationOutcome.IssueSeverity.Information, Assert.Single((await response.ReadOutcomeAsync()).Issue).Severity);
    }

    [Fact]
    public async Task An_unknown_profile_is_400_naming_the_parameter()
    {
        using var response = await _client.PostAsync("Task/$validate?profile=https://example.org/StructureDefinition/other", Resources.Task("sr", "p", "o"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["profile"], (await response.ReadOutcomeAsync()).Issue[0].Expression);
    }

    [Fact]
    public async Task Mode_update_needs_the_id()
    {
        using var response = await _client.PostAsync("Patient/$validate?mode=update", Resources.Patient());

        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Expression.SequenceEqual(["Patient.id"]));
    }

    [Fact]
    public async Task Instance_level_validates_the_stored_resource_against_a_profile()
    {
        var patient = await _client.CreateAsync(Resources.Patient());

        using var response = await _client.GetAsync($"Patient/{patient.Id}/$validate");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, Assert.Single((await response.ReadOutcomeAsync()).Issue).Severity);
    }

    [Fact]
    public async Task Mode_delete_of_a_conformance_resource_says_it_is_read_only()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "StructureDefinition/referral-task/$validate?mode=delete", null);

        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, issue.Code);
    }

    [Fact]
    public async Task A_referral_bundle_is_validated_entry_by_entry()
    {
        var bundle = (Bundle)Gateway.Fhir.Validation.ResourceParser.ParseJson(System.Text.Encoding.UTF8.GetBytes(Samples.Read("gp/referral-transaction.json"))).Resource!;
        ((ServiceRequest)bundle.Entry[2].Resource).Intent = RequestIntent.Plan;

        using var response = await _client.PostAsync("Bundle/$validate", bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Bundle.entry[2].resource.intent"], Assert.Single((await response.ReadOutcomeAsync()).Issue).Expression);
    }

    private async Task<long> VersionCount()
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from resource_version where resource_type <> 'AuditEvent'");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
