using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Search;

/// <summary>A gateway that sorts by at most two keys, so the test shows the setting is honoured.</summary>
public sealed class TwoSortKeysGateway : GatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Gateway:Fhir:MaxSortKeys", "2")];
}

/// <summary>Issue 17 item 9: every _sort key is another expression over every match, so their number is capped (400 naming _sort).</summary>
public sealed class SortKeyLimitTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task More_sort_keys_than_the_cap_is_400_naming_sort()
    {
        using var response = await gateway.Client.GetAsync("Patient?_sort=family,given,birthdate,-family,-given,-birthdate");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal("_sort", Assert.Single(issue.Expression));
        Assert.Contains("at most 5", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_split_over_several_sort_parameters_count_together()
    {
        using var response = await gateway.Client.GetAsync("Patient?_sort=family,given&_sort=birthdate,_id&_sort=_lastUpdated,-family");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Up_to_the_cap_sorts()
    {
        Assert.NotNull(await gateway.Client.SearchAsync("Patient?_sort=family,given,birthdate,_lastUpdated,-_id"));
    }

    [Fact]
    public async Task A_search_entry_in_a_batch_is_capped_too()
    {
        var batch = new Bundle
        {
            Type = Bundle.BundleType.Batch,
            Entry = [new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = "Patient?_sort=family,given,birthdate,-family,-given,-birthdate" } }],
        };

        using var response = await gateway.Client.PostBundleAsync(batch);

        var answer = await response.ReadResourceAsync<Bundle>();
        Assert.StartsWith("400", answer.Entry.Single().Response.Status, StringComparison.Ordinal);
    }
}

public sealed class ConfiguredSortKeyLimitTests(TwoSortKeysGateway gateway) : IClassFixture<TwoSortKeysGateway>
{
    [Fact]
    public async Task The_cap_is_configurable()
    {
        using var response = await gateway.Client.GetAsync("Patient?_sort=family,given,birthdate");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 2", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }
}
