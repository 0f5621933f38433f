using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Terminology;

/// <summary>$translate, $expand and $lookup over the guide, as a FHIR client calls them.</summary>
public sealed class TerminologyOperationTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private const string Base = "https://interop-gateway.example/fhir";
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Translate_a_housing_status_gives_the_task_status_and_business_status()
    {
        var result = await Parameters($"ConceptMap/$translate?system={Base}/CodeSystem/housing-case-status&code=closed_no_contact");

        Assert.True(result.GetSingleValue<FhirBoolean>("result").Value);
        var concepts = Matches(result);
        Assert.Equal([("http://hl7.org/fhir/task-status", "failed"), ($"{Base}/CodeSystem/referral-business-status", "could-not-contact")], concepts);
    }

    [Fact]
    public async Task Translate_by_map_id_with_a_target_value_set()
    {
        var result = await Parameters($"ConceptMap/wor-status-to-task/$translate?system={Base}/CodeSystem/wor-status&code=intake_gehad&target=http://hl7.org/fhir/ValueSet/task-status");

        Assert.Equal([("http://hl7.org/fhir/task-status", "in-progress")], Matches(result));
    }

    [Fact]
    public async Task Translate_by_POST_with_a_coding()
    {
        var input = new Parameters();
        input.Add("url", new FhirUri($"{Base}/ConceptMap/wor-status-to-task"));
        input.Add("coding", new Coding($"{Base}/CodeSystem/wor-status", "afgerond"));
        input.Add("targetsystem", new FhirUri($"{Base}/CodeSystem/referral-business-status"));

        using var response = await _client.PostAsync("ConceptMap/$translate", input);

        Assert.Equal([($"{Base}/CodeSystem/referral-business-status", "got-help")], Matches(await response.ReadResourceAsync<Parameters>()));
    }

    [Fact]
    public async Task Translate_an_unknown_status_is_result_false_with_a_message()
    {
        var result = await Parameters($"ConceptMap/$translate?system={Base}/CodeSystem/wor-status&code=misschien");

        Assert.False(result.GetSingleValue<FhirBoolean>("result").Value);
        Assert.NotNull(result.GetSingleValue<FhirString>("message"));
    }

    [Theory]
    [InlineData("ConceptMap/$translate?system=x", HttpStatusCode.BadRequest)]
    [InlineData("ConceptMap/unknown/$translate?code=x", HttpStatusCode.NotFound)]
    [InlineData("ValueSet/$expand", HttpStatusCode.BadRequest)]
    [InlineData("ValueSet/$expand?url=https://example.org/ValueSet/x", HttpStatusCode.NotFound)]
    [InlineData("ValueSet/partner-kind/$expand?count=many", HttpStatusCode.BadRequest)]
    [InlineData("CodeSystem/$lookup?system=" + Base + "/CodeSystem/wor-status&code=misschien", HttpStatusCode.NotFound)]
    [InlineData("CodeSystem/$lookup?system=http://snomed.info/sct&code=306206005", HttpStatusCode.NotFound)]
    [InlineData("CodeSystem/$lookup?code=afgerond", HttpStatusCode.BadRequest)]
    public async Task Bad_operation_requests_are_4xx_outcomes(string path, HttpStatusCode status)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.NotEmpty((await response.ReadOutcomeAsync()).Issue[0].Diagnostics);
    }

    [Fact]
    public async Task Expand_by_url_with_a_filter()
    {
        using var response = await _client.GetAsync($"ValueSet/$expand?url={Base}/ValueSet/social-prescribing-activity&filter=club");

        var expansion = (await response.ReadResourceAsync<ValueSet>()).Expansion;
        Assert.Equal(["book-club", "film-club"], expansion.Contains.Select(c => c.Code).Order(StringComparer.Ordinal));
        Assert.Equal(2, expansion.Total);
    }

    [Fact]
    public async Task Expand_by_id()
    {
        using var response = await _client.GetAsync("ValueSet/partner-kind/$expand");

        Assert.Equal(6, (await response.ReadResourceAsync<ValueSet>()).Expansion.Contains.Count); // the six partner kinds
    }

    [Fact]
    public async Task Lookup_gives_the_display()
    {
        var result = await Parameters($"CodeSystem/$lookup?system={Base}/CodeSystem/wor-status&code=niet_bereikt");

        Assert.Equal("Niet bereikt", result.GetSingleValue<FhirString>("display").Value);
    }

    private async Task<Parameters> Parameters(string path)
    {
        using var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadResourceAsync<Parameters>();
    }

    private static List<(string?, string?)> Matches(Parameters result) =>
        result.Parameter.Where(p => p.Name == "match")
            .Select(p => (Coding)p.Part.Single(x => x.Name == "concept").Value)
            .Select(c => (c.System, c.Code))
            .ToList();
}
