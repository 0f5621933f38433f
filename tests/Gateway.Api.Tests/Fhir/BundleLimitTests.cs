using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using static Gateway.Api.Tests.Fhir.TransactionTests;

namespace Gateway.Api.Tests.Fhir;

/// <summary>A gateway that takes few entries per bundle, so a test needs few to exceed it.</summary>
public sealed class SmallBundleLimitGateway : GatewayApp
{
    public const int Limit = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Gateway:Fhir:MaxBundleEntries", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

public sealed class BundleLimitTests(SmallBundleLimitGateway gateway) : IClassFixture<SmallBundleLimitGateway>
{
    [Theory]
    [InlineData(Bundle.BundleType.Transaction)]
    [InlineData(Bundle.BundleType.Batch)]
    public async Task A_bundle_over_the_configured_entry_limit_is_413_and_stores_nothing(Bundle.BundleType type)
    {
        var bundle = new Bundle { Type = type, Entry = [.. Enumerable.Range(0, SmallBundleLimitGateway.Limit + 1).Select(_ => Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient()))] };
        var before = await gateway.CountResourcesAsync();

        using var response = await gateway.Client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal(OperationOutcome.IssueType.TooLong, issue.Code);
        Assert.Contains($"at most {SmallBundleLimitGateway.Limit}", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_bundle_at_the_limit_is_processed()
    {
        var bundle = Transaction([.. Enumerable.Range(0, SmallBundleLimitGateway.Limit).Select(_ => Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient()))]);

        using var response = await gateway.Client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
