using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

/// <summary>Invalid content is a 400 OperationOutcome pointing at the element, and is never stored.</summary>
public sealed class ValidationTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Theory]
    [InlineData("""{"resourceType":"Patient","name":[{"family":"Okafor","foo":1}]}""", "Patient.name[0]")]
    [InlineData("""{"resourceType":"Patient","birthDate":"1951-13-45"}""", "Patient.birthDate")]
    [InlineData("""{"resourceType":"Patient","gender":"sometimes"}""", "Patient.gender")]
    [InlineData("""{"resourceType":"Patient","active":"yes"}""", "Patient.active")]
    [InlineData("""{"resourceType":"Task"}""", "Task.status")]
    public async Task Invalid_content_is_400_with_the_fhirpath_of_the_problem(string body, string expectedExpression)
    {
        var before = await ResourceCount();

        using var response = await _client.SendAsync(HttpMethod.Post, body.Contains("Task", StringComparison.Ordinal) ? "Task" : "Patient", FhirHttp.Content(body, FhirHttp.Json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Contains(outcome.Issue, i => i.Expression.Any(e => e.StartsWith(expectedExpression, StringComparison.Ordinal)) && !string.IsNullOrWhiteSpace(i.Diagnostics));
        Assert.All(outcome.Issue, i => Assert.Equal(OperationOutcome.IssueSeverity.Error, i.Severity));
        Assert.Equal(before, await ResourceCount());
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient",""")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"name":[{"family":"No resourceType"}]}""")]
    public async Task Malformed_json_is_400_never_500(string body)
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(body, FhirHttp.Json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.ReadOutcomeAsync()).Issue[0].Diagnostics);
    }

    [Fact]
    public async Task Task_missing_its_required_elements_names_each_of_them()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "Task", FhirHttp.Content("""{"resourceType":"Task"}""", FhirHttp.Json));

        var expressions = (await response.ReadOutcomeAsync()).Issue.SelectMany(i => i.Expression).ToList();
        Assert.Contains("Task.status", expressions);
        Assert.Contains("Task.intent", expressions);
    }

    [Fact]
    public async Task Xml_with_an_entity_declaration_is_refused()
    {
        const string body = """
            <?xml version="1.0"?>
            <!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <Patient xmlns="http://hl7.org/fhir"><name><family value="&xxe;"/></name></Patient>
            """;

        using var response = await _client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(body, FhirHttp.Xml));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deeply_nested_json_is_400()
    {
        var body = """{"resourceType":"Patient","extension":[""" + string.Concat(Enumerable.Repeat("""{"url":"http://x","extension":[""", 200))
            + string.Concat(Enumerable.Repeat("]}", 200)) + "]}";

        using var response = await _client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(body, FhirHttp.Json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Xml_round_trips_through_create_and_read()
    {
        var patient = Resources.Patient(family: "Zoë");
        var xml = System.Text.Encoding.UTF8.GetString(Gateway.Fhir.Serialization.FhirSerialization.ToXmlBytes(patient));

        using var created = await _client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(xml, FhirHttp.Xml), ("Accept", FhirHttp.Xml));
        var stored = await created.ReadResourceAsync<Patient>();
        var read = await (await _client.GetAsync($"Patient/{stored.Id}?_format=xml")).ReadResourceAsync<Patient>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Zoë", read.Name[0].Family);
        Assert.Equal(patient.Identifier[0].Value, read.Identifier[0].Value);
        Assert.Equal("WS2 8LD", read.Address[0].PostalCode);
        Assert.Equal("1951-03-08", read.BirthDate);
    }

    private async Task<long> ResourceCount()
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from resource_version where resource_type <> 'AuditEvent'");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
