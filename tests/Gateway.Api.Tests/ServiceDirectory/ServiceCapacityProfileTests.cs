using System.Net;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.ServiceDirectory;

/// <summary>
/// Issue 20: the capacity extension has its own definition in the guide
/// (StructureDefinition-service-capacity.json), which the service profile names, so a malformed
/// capacity is refused as any profile breach is: 422, the element and the definition named.
/// </summary>
public sealed class ServiceCapacityProfileTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task A_capacity_without_accepts_referrals_is_refused_naming_the_extension_definition()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var service = await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Walsall Knit and Natter", "befriending", "WS1 2AA");
        var patch = $$"""
            [ { "op": "add", "path": "/extension", "value": [ { "url": "{{ServiceCapacity.Url}}", "extension": [
                { "url": "expectedWait", "valueString": "two weeks" } ] } ] } ]
            """;

        using var response = await housing.SendAsync(HttpMethod.Patch, $"HealthcareService/{service.Id}", FhirHttp.Content(patch, "application/json-patch+json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issues = (await response.ReadOutcomeAsync()).Issue;
        Assert.Contains(issues, i => i.Expression.Single() == "HealthcareService.extension[0].extension" && i.Diagnostics.Contains("slice 'acceptsReferrals'", StringComparison.Ordinal)
            && i.Diagnostics.Contains(ServiceCapacity.Url, StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Expression.Single() == "HealthcareService.extension[0].extension[0].value" && i.Diagnostics.Contains("Duration", StringComparison.Ordinal));
        Assert.Equal("1", (await (await housing.GetAsync($"HealthcareService/{service.Id}")).ReadResourceAsync<HealthcareService>()).Meta.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_extension_definition_is_served_with_the_guide_and_named_by_the_service_profile()
    {
        var definition = await (await gateway.Client.GetAsync("StructureDefinition/service-capacity")).ReadResourceAsync<StructureDefinition>();
        var profile = await (await gateway.Client.GetAsync("StructureDefinition/directory-healthcareservice")).ReadResourceAsync<StructureDefinition>();

        Assert.Equal(ServiceCapacity.Url, definition.Url);
        Assert.Equal("Extension", definition.Type);
        Assert.Contains(profile.Differential.Element, e => e.Type.Any(t => t.Profile.Contains(ServiceCapacity.Url)));
    }
}
