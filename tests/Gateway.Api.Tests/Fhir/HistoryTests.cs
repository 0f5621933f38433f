using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class HistoryTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Instance_history_lists_every_version_newest_first()
    {
        var patient = await (await _client.PostAsync("Patient", Resources.Patient())).ReadResourceAsync<Patient>();
        for (var i = 0; i < 3; i++)
        {
            patient.Name[0].Family = $"Name{i}";
            using var _ = await _client.PutAsync($"Patient/{patient.Id}", patient);
        }

        using var response = await _client.GetAsync($"Patient/{patient.Id}/_history");
        var bundle = await response.ReadResourceAsync<Bundle>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Bundle.BundleType.History, bundle.Type);
        Assert.Equal(["4", "3", "2", "1"], bundle.Entry.Select(e => e.Resource.Meta.VersionId));
        Assert.Equal(Bundle.HTTPVerb.POST, bundle.Entry[^1].Request.Method);
        Assert.Equal(Bundle.HTTPVerb.PUT, bundle.Entry[0].Request.Method);
        Assert.Equal("W/\"4\"", bundle.Entry[0].Response.Etag);
    }

    [Fact]
    public async Task History_of_an_unknown_resource_is_404()
    {
        using var response = await _client.GetAsync("Patient/nobody/_history");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Type_history_pages_with_next_links_and_shows_each_version_once()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await _client.CreateAsync(new Practitioner { Name = [new HumanName { Family = $"Practitioner {i}" }] })).Id);
        }

        var seen = new List<string>();
        var url = "Practitioner/_history?_count=3";
        var pages = 0;
        while (url is not null)
        {
            var bundle = await (await _client.GetAsync(url)).ReadResourceAsync<Bundle>();
            seen.AddRange(bundle.Entry.Select(e => e.Resource.Id));
            url = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            pages++;

            // A write between pages must not shift or repeat what the next page shows.
            using var _ = await _client.PostAsync("Practitioner", new Practitioner { Name = [new HumanName { Family = "Written while paging" }] });
        }

        Assert.Equal(3, pages);
        Assert.Equal(ids.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task Since_limits_history_to_later_versions()
    {
        var patient = await (await _client.PostAsync("Patient", Resources.Patient())).ReadResourceAsync<Patient>();
        var since = patient.Meta.LastUpdated!.Value.AddTicks(10);
        await Task.Delay(5);
        using (await _client.PutAsync($"Patient/{patient.Id}", patient))
        {
        }

        var bundle = await (await _client.GetAsync($"Patient/{patient.Id}/_history?_since={Uri.EscapeDataString(since.ToString("o"))}")).ReadResourceAsync<Bundle>();

        Assert.Equal(["2"], bundle.Entry.Select(e => e.Resource.Meta.VersionId));
    }

    [Theory]
    [InlineData("_count=abc")]
    [InlineData("_count=0")]
    [InlineData("_since=yesterday")]
    [InlineData("_cursor=not-ours")]
    public async Task Bad_history_parameters_are_400_naming_the_parameter(string query)
    {
        using var response = await _client.GetAsync($"Patient/_history?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(query.Split('=')[0], (await response.ReadOutcomeAsync()).Issue[0].Expression.Single());
    }

    [Fact]
    public async Task System_history_spans_types()
    {
        using (await _client.PostAsync("Organization", Resources.Organization("System history org")))
        using (await _client.PostAsync("Patient", Resources.Patient()))
        {
        }

        var bundle = await (await _client.GetAsync("_history?_count=2")).ReadResourceAsync<Bundle>();

        Assert.Equal(["Patient", "Organization"], bundle.Entry.Select(e => e.Resource.TypeName));
    }
}
