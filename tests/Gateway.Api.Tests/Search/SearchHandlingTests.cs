using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Search;

/// <summary>Unknown parameters under Prefer: handling=strict|lenient, and search over POST (search.html#errors, #search-post).</summary>
public sealed class SearchHandlingTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Theory]
    [InlineData("shoe-size=42", "shoe-size")]
    [InlineData("family:sounds-like=x", "family:sounds-like")]
    [InlineData("_has:Task:patient:status=requested", "_has:Task:patient:status")]
    public async Task Strict_handling_refuses_an_unknown_parameter_naming_it(string query, string parameter)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, $"Patient?{query}", null, ("Prefer", "handling=strict"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Equal(parameter, outcome.Issue[0].Expression.Single());
        Assert.Contains(parameter.Split(':')[0], outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lenient_handling_ignores_an_unknown_parameter_and_says_so()
    {
        var marker = "Lenient" + Guid.NewGuid().ToString("N")[..6];
        var patient = await _client.CreateAsync(Resources.Patient(family: marker));

        var bundle = await _client.SearchAsync($"Patient?family={marker}&shoe-size=42", ("Prefer", "handling=lenient"));

        Assert.Equal([patient.Id], bundle.MatchIds());
        var outcome = (OperationOutcome)bundle.Entry.Single(e => e.Search.Mode == Bundle.SearchEntryMode.Outcome).Resource;
        Assert.Equal("shoe-size", outcome.Issue.Single().Expression.Single());
        Assert.Equal(OperationOutcome.IssueSeverity.Warning, outcome.Issue[0].Severity);
    }

    [Fact]
    public async Task The_compact_searchset_carries_each_resource_as_the_pretty_and_xml_forms_do()
    {
        // Compact JSON writes the stored JSON as it is; _pretty and XML go through the POCO serializers.
        var marker = "Müller" + Guid.NewGuid().ToString("N")[..6];
        var patient = await _client.CreateAsync(Resources.Patient(family: marker));
        var query = $"Patient?family={marker}&shoe-size=42";

        using var compact = await _client.GetAsync(query);
        var text = await compact.Content.ReadAsStringAsync();
        var pretty = await _client.SearchAsync(query + "&_pretty=true");
        var xml = await _client.SearchAsync(query, ("Accept", "application/fhir+xml"));

        Assert.Equal("application/fhir+json; charset=utf-8", compact.Content.Headers.ContentType?.ToString());
        Assert.Contains($"{{\"resourceType\":\"Patient\",", text, StringComparison.Ordinal);
        Assert.Contains($"\"family\":\"{marker}\"", text, StringComparison.Ordinal);
        var bundle = await compact.ReadResourceAsync<Bundle>();
        Assert.Equal([patient.Id], bundle.MatchIds());
        Assert.Equal(Bundle.SearchEntryMode.Outcome, bundle.Entry[^1].Search.Mode);
        Assert.Equal(xml.Link.Select(l => (l.Relation, l.Url)), bundle.Link.Select(l => (l.Relation, l.Url)));
        foreach (var other in new[] { pretty, xml })
        {
            Assert.Equal(other.Entry.Count, bundle.Entry.Count);
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                Assert.Equal(other.Entry[i].FullUrl, bundle.Entry[i].FullUrl);
                Assert.True(other.Entry[i].Resource.IsExactly(bundle.Entry[i].Resource), $"entry {i} differs");
            }
        }
    }

    [Fact]
    public async Task Post_search_takes_form_parameters_and_finds_the_same()
    {
        var marker = "Post" + Guid.NewGuid().ToString("N")[..6];
        var patient = await _client.CreateAsync(Resources.Patient(family: marker));
        using var form = new FormUrlEncodedContent([new("family", marker), new("birthdate", "1951")]);

        using var response = await _client.PostAsync("Patient/_search", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([patient.Id], (await response.ReadResourceAsync<Bundle>()).MatchIds());
    }

    [Fact]
    public async Task Post_search_without_a_form_is_415()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "Patient/_search", FhirHttp.Content("{}", FhirHttp.Json));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Search_of_a_type_the_server_does_not_serve_is_404()
    {
        using var response = await _client.GetAsync("Observation?code=1234");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Deleted_resources_are_not_found()
    {
        var marker = "Deleted" + Guid.NewGuid().ToString("N")[..6];
        var patient = await _client.CreateAsync(Resources.Patient(family: marker));
        using (await _client.DeleteAsync($"Patient/{patient.Id}"))
        {
        }

        Assert.Empty((await _client.SearchAsync($"Patient?family={marker}")).MatchIds());
    }

    [Fact]
    public async Task Results_are_served_as_xml_too()
    {
        var marker = "Xml" + Guid.NewGuid().ToString("N")[..6];
        var patient = await _client.CreateAsync(Resources.Patient(family: marker));

        using var response = await _client.GetAsync($"Patient?family={marker}&_format=xml");

        Assert.Equal([patient.Id], (await response.ReadResourceAsync<Bundle>()).MatchIds());
    }
}
