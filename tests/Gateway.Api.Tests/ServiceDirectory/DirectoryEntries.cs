using System.Net;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.ServiceDirectory;

/// <summary>Publishes directory entries over FHIR as a provider does: a Location, then the HealthcareService at it.</summary>
internal static class DirectoryEntries
{
    public const string ActivitySystem = "https://interop-gateway.example/fhir/CodeSystem/social-prescribing-activity";

    public static string SampleFile(string name) => Repository.File("tests/Gateway.Api.Tests/ServiceDirectory/Samples/" + name);

    public static async Task<HealthcareService> PublishAsync(HttpClient provider, string providerId, string name, string category, string postcode,
        string city = "Walsall", (decimal Latitude, decimal Longitude)? position = null, bool? accepts = null, int? waitDays = null,
        string? type = null, string? characteristic = null)
    {
        var location = new Location
        {
            Status = Location.LocationStatus.Active,
            Name = name + " venue",
            Address = new Address { Line = ["1 High Street"], City = city, PostalCode = postcode },
            Position = position is { } p ? new Location.PositionComponent { Latitude = p.Latitude, Longitude = p.Longitude } : null,
        };
        var storedLocation = await provider.CreateAsync(location);
        var service = new HealthcareService
        {
            Active = true,
            ProvidedBy = new ResourceReference($"Organization/{providerId}"),
            Category = [new CodeableConcept(ActivitySystem, category)],
            Type = type is null ? [] : [new CodeableConcept("https://example.org/service-type", type)],
            Characteristic = characteristic is null ? [] : [new CodeableConcept("https://example.org/characteristic", characteristic)],
            Name = name,
            Location = [new ResourceReference($"Location/{storedLocation.Id}")],
        };
        if (accepts is not null)
        {
            new ServiceCapacity(accepts.Value, waitDays is { } days ? ServiceCapacity.Days(days) : null).ApplyTo(service);
        }

        return await provider.CreateAsync(service);
    }

    /// <summary>The provider states the service's capacity with a JSON Patch of its capacity extension, as the guide shows.</summary>
    public static async Task<HttpResponseMessage> PatchCapacityAsync(HttpClient provider, string serviceId, bool accepts, int waitDays)
    {
        var patch = $$"""
            [ { "op": "add", "path": "/extension", "value": [ { "url": "{{ServiceCapacity.Url}}", "extension": [
                { "url": "acceptsReferrals", "valueBoolean": {{(accepts ? "true" : "false")}} },
                { "url": "expectedWait", "valueDuration": { "value": {{waitDays}}, "unit": "days", "system": "http://unitsofmeasure.org", "code": "d" } } ] } ] } ]
            """;
        var response = await provider.SendAsync(HttpMethod.Patch, $"HealthcareService/{serviceId}", FhirHttp.Content(patch, "application/json-patch+json"));
        return response;
    }

    public static async Task<T> OkAsync<T>(HttpResponseMessage response) where T : Resource
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadResourceAsync<T>();
    }
}
