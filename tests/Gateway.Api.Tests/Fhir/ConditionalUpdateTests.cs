using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class ConditionalUpdateTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    private static string ByNhsNumber(string nhsNumber) => $"Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}";

    [Fact]
    public async Task No_match_creates_the_resource()
    {
        var nhsNumber = Resources.NewNhsNumber();

        using var response = await _client.PutAsync(ByNhsNumber(nhsNumber), Resources.Patient(nhsNumber));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
    }

    [Fact]
    public async Task One_match_is_updated_in_place()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var created = await (await _client.PostAsync("Patient", Resources.Patient(nhsNumber))).ReadResourceAsync<Patient>();

        using var response = await _client.PutAsync(ByNhsNumber(nhsNumber), Resources.Patient(nhsNumber, family: "Updated"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.ReadResourceAsync<Patient>();
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("2", updated.Meta.VersionId);
        Assert.Equal("Updated", updated.Name[0].Family);
    }

    [Fact]
    public async Task Several_matches_are_412()
    {
        var family = "Family" + Guid.NewGuid().ToString("N")[..8];
        using (await _client.PostAsync("Patient", Resources.Patient(family: family)))
        using (await _client.PostAsync("Patient", Resources.Patient(family: family)))
        {
        }

        using var response = await _client.PutAsync($"Patient?family:exact={family}", Resources.Patient(family: family));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
    }

    [Fact]
    public async Task A_body_id_other_than_the_match_is_400()
    {
        var nhsNumber = Resources.NewNhsNumber();
        using (await _client.PostAsync("Patient", Resources.Patient(nhsNumber)))
        {
        }

        var patient = Resources.Patient(nhsNumber);
        patient.Id = "someone-else";
        using var response = await _client.PutAsync(ByNhsNumber(nhsNumber), patient);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
