using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class ReadTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    private Task<Patient> CreatePatient() => _client.CreateAsync(Resources.Patient());

    [Fact]
    public async Task Read_returns_the_current_version_with_its_headers()
    {
        var created = await CreatePatient();

        using var response = await _client.GetAsync($"Patient/{created.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await response.ReadResourceAsync<Patient>();
        Assert.Equal(created.Id, read.Id);
        Assert.Equal("Okafor", read.Name[0].Family);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task A_compact_read_is_the_stored_json_with_resource_type_first_and_says_what_the_xml_read_says()
    {
        var created = await _client.CreateAsync(Resources.Patient(family: "Müller-Lüdenscheidt"));

        using var compact = await _client.GetAsync($"Patient/{created.Id}");
        var text = await compact.Content.ReadAsStringAsync();
        var xml = await (await _client.SendAsync(HttpMethod.Get, $"Patient/{created.Id}", null, ("Accept", "application/fhir+xml"))).ReadResourceAsync<Patient>();

        Assert.StartsWith("{\"resourceType\":\"Patient\",", text, StringComparison.Ordinal);
        Assert.Contains("\"family\":\"Müller-Lüdenscheidt\"", text, StringComparison.Ordinal);
        Assert.True(xml.IsExactly(await compact.ReadResourceAsync<Patient>()));
    }

    [Fact]
    public async Task A_compact_read_and_search_send_the_body_as_the_store_holds_it()
    {
        // Stored with name before id: Firely would write id first, so only the stored text itself comes out this way.
        var created = await CreatePatient();
        var stored = $$$"""{"resourceType":"Patient","name":[{"family":"Verbatim"}],"id":"{{{created.Id}}}","meta":{"versionId":"1","lastUpdated":"2026-11-23T12:00:00+00:00"}}""";
        await using (var update = gateway.Database.CreateCommand("""
            update resource_version set body = $1::json
            where version = 1 and resource_key = (select resource_key from resource where resource_type = 'Patient' and resource_id = $2)
            """))
        {
            update.Parameters.Add(new() { Value = stored });
            update.Parameters.Add(new() { Value = created.Id });
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var read = await _client.GetStringAsync($"Patient/{created.Id}");
        var searched = await _client.GetStringAsync($"Patient?_id={created.Id}");
        var xml = await (await _client.SendAsync(HttpMethod.Get, $"Patient/{created.Id}", null, ("Accept", "application/fhir+xml"))).ReadResourceAsync<Patient>();

        Assert.Equal(stored, read);
        Assert.Contains("\"resource\":" + stored + ",", searched, StringComparison.Ordinal);
        Assert.Equal("Verbatim", xml.Name[0].Family);
    }

    [Fact]
    public async Task Unknown_id_is_404_with_an_outcome()
    {
        using var response = await _client.GetAsync("Patient/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Equal(OperationOutcome.IssueType.NotFound, outcome.Issue[0].Code);
        Assert.Contains("Patient/does-not-exist", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_id_is_400()
    {
        using var response = await _client.GetAsync("Patient/has%20space");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Vread_returns_an_older_version_and_404_for_one_that_never_was()
    {
        var created = await CreatePatient();
        created.Name[0].Family = "Changed";
        using (await _client.PutAsync($"Patient/{created.Id}", created))
        {
        }

        using var first = await _client.GetAsync($"Patient/{created.Id}/_history/1");
        using var missing = await _client.GetAsync($"Patient/{created.Id}/_history/9");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Okafor", (await first.ReadResourceAsync<Patient>()).Name[0].Family);
        Assert.Equal("W/\"1\"", first.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("?_format=xml", null)]
    [InlineData("?_format=application/fhir%2Bxml", null)]
    [InlineData("", "application/fhir+xml")]
    [InlineData("", "application/xml, text/html;q=0.9")] // XML preferred over HTML; a browser preferring HTML gets the HTML view (BrowserView)
    public async Task Xml_is_chosen_by_format_or_accept(string query, string? accept)
    {
        var created = await CreatePatient();
        var headers = accept is null ? Array.Empty<(string, string)>() : [("Accept", accept)];

        using var response = await _client.SendAsync(HttpMethod.Get, $"Patient/{created.Id}{query}", null, headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+xml", response.Content.Headers.ContentType?.MediaType);
        var read = await response.ReadResourceAsync<Patient>();
        Assert.Equal(created.Identifier[0].Value, read.Identifier[0].Value);
    }

    [Fact]
    public async Task An_accept_header_the_server_cannot_meet_is_406()
    {
        var created = await CreatePatient();

        using var response = await _client.SendAsync(HttpMethod.Get, $"Patient/{created.Id}", null, ("Accept", "text/csv"));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Contains("text/csv", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pretty_printing_is_on_request_only()
    {
        var created = await CreatePatient();

        var compact = await _client.GetStringAsync($"Patient/{created.Id}");
        var pretty = await _client.GetStringAsync($"Patient/{created.Id}?_pretty=true");

        Assert.DoesNotContain('\n', compact);
        Assert.Contains('\n', pretty);
    }

    [Fact]
    public async Task Summary_and_elements_trim_the_resource()
    {
        var created = await CreatePatient();

        var elements = await (await _client.GetAsync($"Patient/{created.Id}?_elements=identifier")).ReadResourceAsync<Patient>();

        Assert.Single(elements.Identifier);
        Assert.Empty(elements.Name);
        Assert.Empty(elements.Address);
    }
}
