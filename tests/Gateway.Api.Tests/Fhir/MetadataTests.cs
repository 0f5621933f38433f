using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace Gateway.Api.Tests.Fhir;

public sealed class MetadataTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Metadata_is_a_capability_statement_of_what_is_routed()
    {
        using var response = await _client.GetAsync("metadata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statement = await response.ReadResourceAsync<CapabilityStatement>();
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        Assert.Equal(CapabilityStatementKind.Instance, statement.Kind);
        var task = statement.Rest.Single().Resource.Single(r => r.Type == "Task");
        Assert.Equal(
            ["create", "delete", "history-instance", "history-type", "patch", "read", "search-type", "update", "vread"],
            task.Interaction.Select(i => EnumUtility.GetLiteral(i.Code)).Order(StringComparer.Ordinal));
        Assert.Equal(["application/json-patch+json"], statement.PatchFormat);
        Assert.True(task.ConditionalCreate);
        Assert.True(task.UpdateCreate);
        Assert.Equal(CapabilityStatement.ResourceVersionPolicy.VersionedUpdate, task.Versioning);
        Assert.Contains(statement.Rest[0].Resource, r => r.Type == "ServiceRequest");
        Assert.DoesNotContain(statement.Rest[0].Resource, r => r.Type == "Observation");
    }

    [Fact]
    public async Task Metadata_is_served_as_xml_too()
    {
        using var response = await _client.GetAsync("metadata?_format=xml");

        Assert.Equal("application/fhir+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FHIRVersion.N4_0_1, (await response.ReadResourceAsync<CapabilityStatement>()).FhirVersion);
    }

    [Fact]
    public async Task An_unknown_path_under_fhir_is_a_404_outcome()
    {
        using var response = await _client.GetAsync("Patient/1/_history/1/extra");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.NotFound, (await response.ReadOutcomeAsync()).Issue[0].Code);
    }
}
