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
        var patient = statement.Rest.Single().Resource.Single(r => r.Type == "Patient");
        Assert.Equal(
            ["create", "delete", "history-instance", "history-type", "patch", "read", "search-type", "update", "vread"],
            patient.Interaction.Select(i => EnumUtility.GetLiteral(i.Code)).Order(StringComparer.Ordinal));
        Assert.Equal(["application/json-patch+json"], statement.PatchFormat);
        Assert.True(patient.ConditionalCreate);
        Assert.True(patient.UpdateCreate);
        Assert.Equal(CapabilityStatement.ResourceVersionPolicy.VersionedUpdate, patient.Versioning);
        // Referral Tasks are the gateway's to create, and never deleted (SPEC §5).
        var task = statement.Rest.Single().Resource.Single(r => r.Type == "Task");
        Assert.Equal(
            ["history-instance", "history-type", "patch", "read", "search-type", "update", "vread"],
            task.Interaction.Select(i => EnumUtility.GetLiteral(i.Code)).Order(StringComparer.Ordinal));
        Assert.False(task.UpdateCreate);
        Assert.Contains(statement.Rest[0].Resource, r => r.Type == "ServiceRequest");
        var security = statement.Rest[0].Security;
        Assert.Equal("SMART-on-FHIR", security.Service.Single().Coding[0].Code);
        Assert.Equal(gateway.TokenEndpoint.ToString(),
            security.GetExtension("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris").GetExtensionValue<FhirUri>("token").Value);
        Assert.DoesNotContain(statement.Rest[0].Resource, r => r.Type == "Observation");
    }

    [Fact]
    public async Task Metadata_states_the_profiles_and_operations_loaded_and_routed()
    {
        using var response = await _client.GetAsync("metadata");

        var resources = (await response.ReadResourceAsync<CapabilityStatement>()).Rest.Single().Resource;
        var task = resources.Single(r => r.Type == "Task");
        Assert.Equal("https://interop-gateway.example/fhir/StructureDefinition/referral-task", task.Profile);
        Assert.Equal(["https://interop-gateway.example/fhir/StructureDefinition/referral-task"], task.SupportedProfile);
        Assert.Equal(["validate"], task.Operation.Select(o => o.Name));
        Assert.Equal("https://interop-gateway.example/fhir/SearchParameter/task-due", task.SearchParam.Single(p => p.Name == "due").Definition);
        Assert.Equal(["expand", "validate"], resources.Single(r => r.Type == "ValueSet").Operation.Select(o => o.Name));
        Assert.Equal(["translate", "validate"], resources.Single(r => r.Type == "ConceptMap").Operation.Select(o => o.Name));
        Assert.Equal(["lookup", "validate"], resources.Single(r => r.Type == "CodeSystem").Operation.Select(o => o.Name));
        Assert.Equal("http://hl7.org/fhir/StructureDefinition/Practitioner", resources.Single(r => r.Type == "Practitioner").Profile);
        var structureDefinition = resources.Single(r => r.Type == "StructureDefinition");
        Assert.Equal(
            ["history-instance", "history-type", "read", "search-type", "vread"],
            structureDefinition.Interaction.Select(i => EnumUtility.GetLiteral(i.Code)).Order(StringComparer.Ordinal));
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
