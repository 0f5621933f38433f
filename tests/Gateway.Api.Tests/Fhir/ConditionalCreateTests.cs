using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class ConditionalCreateTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    private static (string, string) IfNoneExist(string nhsNumber) => ("If-None-Exist", $"identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}");

    [Fact]
    public async Task A_resent_patient_returns_the_existing_one_instead_of_a_duplicate()
    {
        var nhsNumber = Resources.NewNhsNumber();

        using var first = await _client.PostAsync("Patient", Resources.Patient(nhsNumber), IfNoneExist(nhsNumber));
        using var second = await _client.PostAsync("Patient", Resources.Patient(nhsNumber, family: "Resent"), IfNoneExist(nhsNumber));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var created = await first.ReadResourceAsync<Patient>();
        var existing = await second.ReadResourceAsync<Patient>();
        Assert.Equal(created.Id, existing.Id);
        Assert.Equal("Okafor", existing.Name[0].Family);
        Assert.Equal(1, await CountPatients(nhsNumber));
    }

    [Fact]
    public async Task Racing_conditional_creates_make_exactly_one_resource()
    {
        var nhsNumber = Resources.NewNhsNumber();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            _client.PostAsync("Patient", Resources.Patient(nhsNumber), IfNoneExist(nhsNumber))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Equal(1, await CountPatients(nhsNumber));
    }

    [Fact]
    public async Task Criteria_matching_several_resources_are_412()
    {
        // Two people of one family name (the gateway keeps one Patient per NHS number, so that cannot be the criterion).
        var family = "Family" + Guid.NewGuid().ToString("N")[..8];
        using (await _client.PostAsync("Patient", Resources.Patient(family: family)))
        using (await _client.PostAsync("Patient", Resources.Patient(family: family)))
        {
        }

        var before = await gateway.CountResourcesAsync();
        using var response = await _client.PostAsync("Patient", Resources.Patient(family: family), ("If-None-Exist", $"family:exact={family}"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task An_unknown_search_parameter_in_the_criteria_is_400_naming_it()
    {
        using var response = await _client.PostAsync("Patient", Resources.Patient(), ("If-None-Exist", "shoe-size=42"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Equal("shoe-size", outcome.Issue[0].Expression.Single());
    }

    [Fact]
    public async Task Criteria_can_combine_parameters_of_several_types()
    {
        var nhsNumber = Resources.NewNhsNumber();
        using (await _client.PostAsync("Patient", Resources.Patient(nhsNumber, family: "Müller")))
        {
        }

        // Token without system, accent-insensitive string prefix, partial date.
        using var hit = await _client.PostAsync("Patient", Resources.Patient(nhsNumber), ("If-None-Exist", $"identifier={nhsNumber}&family=mull&birthdate=1951-03"));
        using var miss = await _client.PostAsync("Patient", Resources.Patient(), ("If-None-Exist", $"identifier={nhsNumber}&birthdate=1960"));

        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal(HttpStatusCode.Created, miss.StatusCode);
    }

    private async Task<long> CountPatients(string nhsNumber)
    {
        await using var command = gateway.Database.CreateCommand("""
            select count(distinct r.resource_key) from resource r join search_token t on t.resource_key = r.resource_key
            where r.resource_type = 'Patient' and not r.is_deleted and t.param = 'identifier' and t.code = $1
            """);
        command.Parameters.Add(new() { Value = nhsNumber });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
