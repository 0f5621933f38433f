using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Conformance;

/// <summary>The guide in profiles/ is served read-only: read and search by url, name and version; writes are 405.</summary>
public sealed class ConformanceResourceTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private const string TaskProfile = "https://interop-gateway.example/fhir/StructureDefinition/referral-task";
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Every_resource_of_the_guide_is_readable_under_its_own_id()
    {
        foreach (var file in Guide.Resources.Files)
        {
            using var response = await _client.GetAsync($"{file.Resource.TypeName}/{file.Resource.Id}");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(file.Url, Gateway.Fhir.Conformance.ConformanceFile.UrlOf(await response.ReadResourceAsync<Resource>()));
        }
    }

    [Theory]
    [InlineData("StructureDefinition?url=" + TaskProfile, "referral-task")]
    [InlineData("StructureDefinition?name=ReferralTask", "referral-task")]
    [InlineData("StructureDefinition?url=https://interop-gateway.example/fhir/StructureDefinition/confidence-interval", "confidence-interval")]
    [InlineData("ConceptMap?url=https://interop-gateway.example/fhir/ConceptMap/wor-status-to-task", "wor-status-to-task")]
    [InlineData("Questionnaire?name=Ons4PersonalWellbeing&version=0.1.0", "ons4")]
    [InlineData("ValueSet?url=https://interop-gateway.example/fhir/ValueSet/referral-business-status", "referral-business-status")]
    [InlineData("CodeSystem?name=HousingCaseStatus", "housing-case-status")]
    public async Task Search_by_url_name_and_version_finds_the_resource(string query, string id)
    {
        Assert.Equal([id], (await _client.SearchAsync(query)).MatchIds());
    }

    [Fact]
    public async Task Search_by_version_finds_the_whole_guide_of_that_version()
    {
        var found = (await _client.SearchAsync("StructureDefinition?version=0.1.0")).MatchIds();

        Assert.Equal(10, found.Count); // seven profiles and three extension definitions
    }

    [Theory]
    [InlineData("POST", "StructureDefinition")]
    [InlineData("PUT", "StructureDefinition/referral-task")]
    [InlineData("DELETE", "ValueSet/partner-kind")]
    [InlineData("PUT", "ConceptMap?url=https://interop-gateway.example/fhir/ConceptMap/wor-status-to-task")]
    [InlineData("POST", "Questionnaire")]
    [InlineData("POST", "CodeSystem")]
    public async Task Writes_to_the_guide_are_405(string method, string path)
    {
        var body = Guide.Resources.Find<StructureDefinition>(TaskProfile)!;

        using var response = await _client.SendAsync(new HttpMethod(method), path, method == "DELETE" ? null : FhirHttp.JsonContent(body));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("read-only", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }
}
