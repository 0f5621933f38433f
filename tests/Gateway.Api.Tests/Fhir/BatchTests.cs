using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using static Gateway.Api.Tests.Fhir.TransactionTests;

namespace Gateway.Api.Tests.Fhir;

public sealed class BatchTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task One_bad_entry_does_not_stop_the_good_ones()
    {
        const string patientUrn = "urn:uuid:44444444-0000-4000-8000-000000000004";
        var bundle = Batch(
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(family: "First"), patientUrn),
            Entry(Bundle.HTTPVerb.POST, "ServiceRequest", Resources.MinimalServiceRequest(patientUrn)),
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(family: "Third")));
        var before = await gateway.CountResourcesAsync();

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(Bundle.BundleType.BatchResponse, result.Type);
        Assert.Equal(["201 Created", "400 Bad Request", "201 Created"], result.Entry.Select(e => e.Response.Status));
        var issue = Assert.Single(Assert.IsType<OperationOutcome>(result.Entry[1].Response.Outcome).Issue);
        Assert.Equal("Bundle.entry[1].resource.subject.reference", issue.Expression.Single());
        Assert.StartsWith("entry 1 (POST ServiceRequest): ", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Null(result.Entry[1].Resource);
        Assert.Equal("First", (await ReadAsync<Patient>(result.Entry[0])).Name[0].Family);
        Assert.Equal("Third", (await ReadAsync<Patient>(result.Entry[2])).Name[0].Family);
        Assert.Equal(before.With("Patient", 2), await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task Each_entry_answers_with_its_own_status()
    {
        var existing = await (await _client.PostAsync("Patient", Resources.Patient())).ReadResourceAsync<Patient>();
        var update = Resources.Patient(family: "Updated");
        update.Id = existing.Id;
        var bundle = Batch(
            Entry(Bundle.HTTPVerb.GET, $"Patient/{existing.Id}"),
            Entry(Bundle.HTTPVerb.PUT, $"Patient/{existing.Id}", update, ifMatch: "W/\"1\""),
            Entry(Bundle.HTTPVerb.PUT, $"Patient/{existing.Id}", update, ifMatch: "W/\"1\""),
            Entry(Bundle.HTTPVerb.GET, "Patient/never-stored"),
            Entry(Bundle.HTTPVerb.POST, "Observation", new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8867-4") }));

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        // Entries run in order, each in its own database transaction: the second PUT meets the first's version 2.
        Assert.Equal(["200 OK", "200 OK", "412 Precondition Failed", "404 Not Found", "404 Not Found"], result.Entry.Select(e => e.Response.Status));
        Assert.Equal("W/\"1\"", result.Entry[0].Response.Etag);
        Assert.Equal("W/\"2\"", result.Entry[1].Response.Etag);
        Assert.All(result.Entry.Skip(2), e => Assert.NotNull(e.Response.Outcome));
    }

    [Fact]
    public async Task A_conditional_create_in_a_batch_finds_the_existing_resource()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var existing = await (await _client.PostAsync("Patient", Resources.Patient(nhsNumber))).ReadResourceAsync<Patient>();
        var entry = Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(nhsNumber));
        entry.Request.IfNoneExist = $"identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}";

        using var response = await _client.PostBundleAsync(Batch(entry));

        var answered = (await response.ReadResourceAsync<Bundle>()).Entry.Single();
        Assert.Equal("200 OK", answered.Response.Status);
        Assert.Equal(existing.Id, answered.Resource.Id);
    }

    private static Bundle Batch(params Bundle.EntryComponent[] entries) => new() { Type = Bundle.BundleType.Batch, Entry = [.. entries] };

    private async Task<T> ReadAsync<T>(Bundle.EntryComponent entry) where T : Resource
    {
        using var response = await _client.GetAsync(string.Join('/', entry.Response.Location.Split('/')[..2]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadResourceAsync<T>();
    }
}
