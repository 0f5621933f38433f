using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class UpdateTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    private Task<Patient> CreatePatient() => _client.CreateAsync(Resources.Patient());

    [Fact]
    public async Task Each_update_makes_the_next_version()
    {
        var patient = await CreatePatient();

        foreach (var expected in new[] { 2, 3, 4 })
        {
            patient.Name[0].Family = $"Family{expected}";
            using var response = await _client.PutAsync($"Patient/{patient.Id}", patient);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"W/\"{expected}\"", response.Headers.ETag?.ToString());
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), (await response.ReadResourceAsync<Patient>()).Meta.VersionId);
        }

        var current = await (await _client.GetAsync($"Patient/{patient.Id}")).ReadResourceAsync<Patient>();
        Assert.Equal("Family4", current.Name[0].Family);
    }

    [Fact]
    public async Task If_match_with_the_current_version_updates()
    {
        var patient = await CreatePatient();

        using var response = await _client.PutAsync($"Patient/{patient.Id}", patient, ("If-Match", "W/\"1\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task If_match_with_a_stale_version_is_412_and_changes_nothing()
    {
        var patient = await CreatePatient();
        using (await _client.PutAsync($"Patient/{patient.Id}", patient))
        {
        }

        patient.Name[0].Family = "Lost update";
        using var response = await _client.PutAsync($"Patient/{patient.Id}", patient, ("If-Match", "W/\"1\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("current version is 2", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        var current = await (await _client.GetAsync($"Patient/{patient.Id}")).ReadResourceAsync<Patient>();
        Assert.Equal("2", current.Meta.VersionId);
        Assert.Equal("Okafor", current.Name[0].Family);
    }

    [Fact]
    public async Task Update_of_an_unknown_id_creates_it_under_that_id()
    {
        var patient = Resources.Patient();
        patient.Id = "client-" + Guid.NewGuid().ToString("N")[..12];

        using var response = await _client.PutAsync($"Patient/{patient.Id}", patient);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(new Uri(gateway.BaseAddress, $"Patient/{patient.Id}/_history/1"), response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"Patient/{patient.Id}")).StatusCode);
    }

    [Fact]
    public async Task An_id_in_the_body_that_differs_from_the_url_is_400()
    {
        var patient = await CreatePatient();

        using var response = await _client.PutAsync("Patient/some-other-id", patient);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Patient.id", (await response.ReadOutcomeAsync()).Issue[0].Expression.Single());
    }

    [Fact]
    public async Task A_body_without_id_is_400()
    {
        using var response = await _client.PutAsync("Patient/abc", Resources.Patient());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Prefer_return_minimal_on_update_answers_without_a_body()
    {
        var patient = await CreatePatient();

        using var response = await _client.PutAsync($"Patient/{patient.Id}", patient, ("Prefer", "return=minimal"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
