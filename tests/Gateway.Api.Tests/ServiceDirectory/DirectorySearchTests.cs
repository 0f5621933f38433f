using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.ServiceDirectory;

/// <summary>SPEC §11: the directory's search parameters, as R4 defines them, and who may read and change it.</summary>
public sealed class DirectorySearchTests(GatewayApp gateway) : IClassFixture<GatewayApp>, IAsyncLifetime
{
    private HttpClient _housing = null!;
    private HttpClient _welfare = null!;
    private HealthcareService _befriending = null!;
    private HealthcareService _choir = null!;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        _housing = await gateway.CreateClientAsync(TestPartners.Housing);
        _welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var tag = Guid.NewGuid().ToString("N")[..6];
        // Walsall town centre, and Kampen (NL), about 500 km apart.
        _befriending = await DirectoryEntries.PublishAsync(_housing, TestPartners.Housing, "Befriending Circle " + tag, "befriending", "WS1 3AY",
            position: (52.5846m, -1.9822m), accepts: true, waitDays: 5, type: "group-" + tag, characteristic: "wheelchair-" + tag);
        _choir = await DirectoryEntries.PublishAsync(_welfare, TestPartners.Welfare, "Koor Iedereen " + tag, "music", "8261 CK", city: "Kampen",
            position: (52.5550m, 5.9110m), accepts: false);
    }

    public System.Threading.Tasks.Task DisposeAsync() => System.Threading.Tasks.Task.CompletedTask;

    [Fact]
    public async System.Threading.Tasks.Task Every_partner_reads_and_searches_the_directory()
    {
        foreach (var client in new[] { gateway.Client, _welfare, await gateway.CreateClientAsync(TestPartners.OtherGp) })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"HealthcareService/{_befriending.Id}")).StatusCode);
            Assert.Contains(_befriending.Id, (await client.SearchAsync($"HealthcareService?name={Uri.EscapeDataString(_befriending.Name)}")).MatchIds());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(_befriending.Location[0].Reference)).StatusCode);
        }
    }

    [Theory]
    [InlineData("service-category={0}|befriending", true)]
    [InlineData("service-category=music", false)]
    [InlineData("active=true&name:contains=Befriending", true)]
    [InlineData("organization=Organization/test-housing", true)]
    [InlineData("location.address-postalcode=WS1", true)]
    [InlineData("location.address-city=walsall", true)]
    [InlineData("location.address-city=Kampen", false)]
    [InlineData("accepts-referrals=true", true)]
    [InlineData("accepts-referrals=false", false)]
    [InlineData("location.near=52.5860|-1.9800|2|km", true)]
    [InlineData("location.near=52.5860|-1.9800|1500|m", true)]
    [InlineData("location.near=52.4862|-1.8904|5|km", false)]
    public async System.Threading.Tasks.Task Each_directory_parameter_finds_the_service_it_describes(string query, bool befriending)
    {
        var url = "HealthcareService?" + string.Format(System.Globalization.CultureInfo.InvariantCulture, query, DirectoryEntries.ActivitySystem) + "&_count=500";

        var ids = (await gateway.Client.SearchAsync(url)).MatchIds();

        Assert.Equal(befriending, ids.Contains(_befriending.Id));
        // The Kampen choir takes no referrals, in another country: only the queries that name it find it.
        Assert.Equal(query.Contains("music", StringComparison.Ordinal) || query.Contains("Kampen", StringComparison.Ordinal) || query == "accepts-referrals=false", ids.Contains(_choir.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task Service_type_and_characteristic_are_tokens()
    {
        var type = _befriending.Type[0].Coding[0].Code;
        var characteristic = _befriending.Characteristic[0].Coding[0].Code;

        Assert.Equal([_befriending.Id], (await gateway.Client.SearchAsync($"HealthcareService?service-type={type}")).MatchIds());
        Assert.Equal([_befriending.Id], (await gateway.Client.SearchAsync($"HealthcareService?characteristic=https://example.org/characteristic|{characteristic}")).MatchIds());
    }

    [Fact]
    public async System.Threading.Tasks.Task Near_on_location_takes_the_distance_and_its_unit()
    {
        var venue = _befriending.Location[0].Reference.Split('/')[1];

        // St Matthew's is about 0.2 km from this point: inside 1 km, outside 100 m (and outside 0.1 mile).
        Assert.Contains(venue, (await gateway.Client.SearchAsync("Location?near=52.5860|-1.9800|1|km&_count=500")).MatchIds());
        Assert.DoesNotContain(venue, (await gateway.Client.SearchAsync("Location?near=52.5860|-1.9800|100|m&_count=500")).MatchIds());
        Assert.DoesNotContain(venue, (await gateway.Client.SearchAsync("Location?near=52.5860|-1.9800|0.1|[mi_i]&_count=500")).MatchIds());
    }

    [Theory]
    [InlineData("Location?near=95|0|1|km")]
    [InlineData("Location?near=52.5|-1.9|1|furlong")]
    [InlineData("Location?near=somewhere")]
    public async System.Threading.Tasks.Task A_near_the_server_cannot_read_is_400_naming_it(string url)
    {
        using var response = await gateway.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Equal("near", outcome.Issue[0].Expression.Single());
    }

    [Fact]
    public async System.Threading.Tasks.Task The_provider_patches_its_capacity_and_nobody_else_may()
    {
        using var patched = await DirectoryEntries.PatchCapacityAsync(_housing, _befriending.Id, accepts: false, waitDays: 30);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.DoesNotContain(_befriending.Id, (await gateway.Client.SearchAsync("HealthcareService?accepts-referrals=true&_count=500")).MatchIds());

        using var welfare = await DirectoryEntries.PatchCapacityAsync(_welfare, _befriending.Id, accepts: true, waitDays: 1);
        using var gp = await DirectoryEntries.PatchCapacityAsync(gateway.Client, _befriending.Id, accepts: true, waitDays: 1);

        Assert.Equal(HttpStatusCode.Forbidden, welfare.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, gp.StatusCode);
        using var back = await DirectoryEntries.PatchCapacityAsync(_housing, _befriending.Id, accepts: true, waitDays: 5);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_capability_statement_lists_the_directory_and_near()
    {
        var statement = await (await gateway.Client.GetAsync("metadata")).ReadResourceAsync<CapabilityStatement>();

        var services = statement.Rest[0].Resource.Single(r => r.Type == "HealthcareService");
        var locations = statement.Rest[0].Resource.Single(r => r.Type == "Location");
        Assert.Contains("https://interop-gateway.example/fhir/StructureDefinition/directory-healthcareservice", services.SupportedProfile);
        Assert.Subset(services.SearchParam.Select(p => p.Name).ToHashSet(), new HashSet<string> { "service-category", "name", "active", "organization", "location", "service-type", "characteristic", "accepts-referrals" });
        Assert.Equal(SearchParamType.Special, locations.SearchParam.Single(p => p.Name == "near").Type);
    }
}
