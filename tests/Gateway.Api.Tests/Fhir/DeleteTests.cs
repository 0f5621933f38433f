using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class DeleteTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    private Task<Patient> CreatePatient() => _client.CreateAsync(Resources.Patient());

    [Fact]
    public async Task A_deleted_resource_reads_as_410_and_stays_in_history()
    {
        var patient = await CreatePatient();

        using var delete = await _client.DeleteAsync($"Patient/{patient.Id}");
        using var read = await _client.GetAsync($"Patient/{patient.Id}");
        var history = await (await _client.GetAsync($"Patient/{patient.Id}/_history")).ReadResourceAsync<Bundle>();

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal("W/\"2\"", delete.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.Gone, read.StatusCode);
        Assert.Equal("W/\"2\"", read.Headers.ETag?.ToString());
        Assert.Equal(OperationOutcome.IssueType.Deleted, (await read.ReadOutcomeAsync()).Issue[0].Code);
        Assert.Equal(2, history.Entry.Count);
        Assert.Equal(Bundle.HTTPVerb.DELETE, history.Entry[0].Request.Method);
        Assert.Null(history.Entry[0].Resource);
        Assert.Equal("1", history.Entry[1].Resource.Meta.VersionId);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"Patient/{patient.Id}/_history/1")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await _client.GetAsync($"Patient/{patient.Id}/_history/2")).StatusCode);
    }

    [Fact]
    public async Task Deleting_twice_or_deleting_nothing_is_204_and_adds_no_version()
    {
        var patient = await CreatePatient();
        using (await _client.DeleteAsync($"Patient/{patient.Id}"))
        {
        }

        using var again = await _client.DeleteAsync($"Patient/{patient.Id}");
        using var never = await _client.DeleteAsync("Patient/never-existed");
        var history = await (await _client.GetAsync($"Patient/{patient.Id}/_history")).ReadResourceAsync<Bundle>();

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, never.StatusCode);
        Assert.Equal(2, history.Entry.Count);
    }

    [Fact]
    public async Task An_update_brings_a_deleted_resource_back_as_the_next_version()
    {
        var patient = await CreatePatient();
        using (await _client.DeleteAsync($"Patient/{patient.Id}"))
        {
        }

        using var update = await _client.PutAsync($"Patient/{patient.Id}", patient);

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("W/\"3\"", update.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"Patient/{patient.Id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_with_a_stale_if_match_is_412_and_deletes_nothing()
    {
        var patient = await CreatePatient();

        using var delete = await _client.SendAsync(HttpMethod.Delete, $"Patient/{patient.Id}", null, ("If-Match", "W/\"7\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"Patient/{patient.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_deleted_resource_leaves_no_search_index_rows()
    {
        var patient = await CreatePatient();
        Assert.True(await IndexRowCount(patient.Id) > 0);

        using (await _client.DeleteAsync($"Patient/{patient.Id}"))
        {
        }

        Assert.Equal(0, await IndexRowCount(patient.Id));
    }

    private async Task<long> IndexRowCount(string id)
    {
        await using var command = gateway.Database.CreateCommand("""
            select (select count(*) from search_token t where t.resource_key = r.resource_key)
                 + (select count(*) from search_string s where s.resource_key = r.resource_key)
                 + (select count(*) from search_date d where d.resource_key = r.resource_key)
            from resource r where r.resource_type = 'Patient' and r.resource_id = $1
            """);
        command.Parameters.Add(new() { Value = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
