using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Search;

/// <summary>Chained parameters, _include and _revinclude (FHIR R4 search.html#chaining, #include).</summary>
public sealed class ChainAndIncludeTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    private sealed record Referral(Patient Patient, Organization Gp, Organization Housing, ServiceRequest Request, Hl7.Fhir.Model.Task Task);

    private async Task<Referral> CreateReferral()
    {
        var patient = await _client.CreateAsync(Resources.Patient());
        var gp = await _client.CreateAsync(Resources.Organization("Hillside"));
        var housing = await (await _client.GetAsync($"Organization/{TestPartners.Housing}")).ReadResourceAsync<Organization>();
        var request = await _client.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp, housing.Id));
        return new Referral(patient, gp, housing, request, await _client.ReferralTaskAsync(request.Id));
    }

    [Theory]
    [InlineData("ServiceRequest?patient.identifier={0}")]
    [InlineData("ServiceRequest?subject.identifier={0}")]
    [InlineData("ServiceRequest?subject:Patient.identifier={0}")]
    [InlineData("Task?patient.identifier={0}")]
    [InlineData("Task?subject.identifier=https://fhir.nhs.uk/Id/nhs-number|{0}")]
    public async Task Chained_identifier_finds_the_resource_by_its_patients_nhs_number(string template)
    {
        var referral = await CreateReferral();
        await CreateReferral();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, referral.Patient.Identifier[0].Value);

        var ids = (await _client.SearchAsync(url)).MatchIds();

        Assert.Equal([url.StartsWith("Task", StringComparison.Ordinal) ? referral.Task.Id : referral.Request.Id], ids);
    }

    [Fact]
    public async Task Chained_questionnaire_response_search_by_patient_identifier()
    {
        var referral = await CreateReferral();
        var response = await _client.CreateAsync(Resources.Ons4(referral.Request.Id, referral.Patient.Id));

        Assert.Equal([response.Id], (await _client.SearchAsync($"QuestionnaireResponse?patient.identifier={referral.Patient.Identifier[0].Value}")).MatchIds());
        Assert.Equal([response.Id], (await _client.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{referral.Request.Id}")).MatchIds());
    }

    [Fact]
    public async Task A_chain_through_a_deleted_patient_finds_nothing()
    {
        var referral = await CreateReferral();
        using (await _client.DeleteAsync($"Patient/{referral.Patient.Id}"))
        {
        }

        Assert.Empty((await _client.SearchAsync($"Task?patient.identifier={referral.Patient.Identifier[0].Value}")).MatchIds());
    }

    [Fact]
    public async Task Include_adds_what_the_matches_point_at_as_include_entries()
    {
        var referral = await CreateReferral();

        var bundle = await _client.SearchAsync($"Task?_id={referral.Task.Id}&_include=Task:focus&_include=Task:patient&_include=Task:owner");

        Assert.Equal([referral.Task.Id], bundle.MatchIds());
        var included = bundle.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Include).Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}").Order().ToList();
        Assert.Equal(new[] { $"Organization/{referral.Housing.Id}", $"Patient/{referral.Patient.Id}", $"ServiceRequest/{referral.Request.Id}" }.Order(), included);
    }

    [Fact]
    public async Task Include_star_follows_every_reference_once()
    {
        var referral = await CreateReferral();

        var bundle = await _client.SearchAsync($"Task?_id={referral.Task.Id}&_include=Task:*");

        var included = bundle.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Include).Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}").ToList();
        Assert.Equal(included.Distinct().Count(), included.Count);
        Assert.Contains($"ServiceRequest/{referral.Request.Id}", included);
        Assert.Contains($"Patient/{referral.Patient.Id}", included);
    }

    [Fact]
    public async Task Revinclude_adds_the_tasks_and_responses_of_a_referral()
    {
        var referral = await CreateReferral();

        var bundle = await _client.SearchAsync($"ServiceRequest?_id={referral.Request.Id}&_revinclude=Task:focus&_include=ServiceRequest:patient");

        Assert.Equal([referral.Request.Id], bundle.MatchIds());
        Assert.Contains(bundle.Entry, e => e.Search.Mode == Bundle.SearchEntryMode.Include && e.Resource.Id == referral.Task.Id);
        Assert.Contains(bundle.Entry, e => e.Search.Mode == Bundle.SearchEntryMode.Include && e.Resource.Id == referral.Patient.Id);
    }

    [Theory]
    [InlineData("_include=Task:status")]
    [InlineData("_include=Patient:organization")]
    [InlineData("_revinclude=Task")]
    public async Task A_malformed_include_is_400(string query)
    {
        using var response = await _client.GetAsync($"Task?{query}");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }
}
