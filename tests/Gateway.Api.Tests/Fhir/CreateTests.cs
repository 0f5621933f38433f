using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class CreateTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_the_stored_resource()
    {
        var patient = Resources.Patient();
        patient.Id = "chosen-by-client";

        using var response = await _client.PostAsync("Patient", patient);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadResourceAsync<Patient>();
        Assert.NotEqual("chosen-by-client", created.Id);
        Assert.Equal("1", created.Meta.VersionId);
        Assert.NotNull(created.Meta.LastUpdated);
        Assert.Equal(new Uri(gateway.BaseAddress, $"Patient/{created.Id}/_history/1"), response.Headers.Location);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal(created.Meta.LastUpdated!.Value.ToString("R"), response.Content.Headers.LastModified?.ToString("R"));
        Assert.StartsWith("application/fhir+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefer_return_minimal_answers_without_a_body()
    {
        using var response = await _client.PostAsync("Patient", Resources.Patient(), ("Prefer", "return=minimal"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Prefer_return_OperationOutcome_answers_with_an_outcome()
    {
        using var response = await _client.PostAsync("Patient", Resources.Patient(), ("Prefer", "return=OperationOutcome"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Equal(OperationOutcome.IssueSeverity.Information, outcome.Issue[0].Severity);
        Assert.Contains("was created", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_content_type_is_415()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content("{}", "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Contains("text/plain", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_of_another_type_than_the_url_is_400()
    {
        using var response = await _client.PostAsync("Organization", Resources.Patient());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Organization", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Observation", "does not serve Observation")]
    [InlineData("Banana", "not a FHIR R4 resource type")]
    public async Task Types_the_server_does_not_serve_are_404(string type, string message)
    {
        using var response = await _client.SendAsync(HttpMethod.Post, type, FhirHttp.Content($$"""{"resourceType":"{{type}}"}""", FhirHttp.Json));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(message, (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interaction_the_route_does_not_offer_is_405_with_an_outcome()
    {
        using var response = await _client.SendAsync(HttpMethod.Delete, "Patient", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, (await response.ReadOutcomeAsync()).Issue[0].Code);
    }
}
