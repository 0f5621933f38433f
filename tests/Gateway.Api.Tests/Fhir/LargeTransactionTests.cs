using System.Net;
using System.Text.Json.Nodes;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

/// <summary>
/// Issue 17 item 10: a transaction within the entry limit (1,000) is processed whole, however many
/// follow-ups its entries set off (each referral's Task, Provenance, consent release).
/// </summary>
public sealed class LargeTransactionTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private static readonly string[] SampleUuids =
        ["5f1d2a3b-0c4e-4f60-8a71-92b3c4d5e6f7", "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d", "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"];

    [Fact]
    public async Task A_transaction_of_250_referrals_creates_them_all()
    {
        const int referrals = 250;
        var providerOds = TransactionTests.NewOdsCode();
        await gateway.Client.CreateAsync(Resources.OrganizationWithOds(providerOds));
        var entries = new JsonArray();
        for (var i = 0; i < referrals; i++)
        {
            var json = Samples.Read("gp/referral-transaction.json")
                .Replace("9995908301", Resources.NewNhsNumber(), StringComparison.Ordinal)
                .Replace("SP-2026-1187", "SP-" + Guid.NewGuid().ToString("N"), StringComparison.Ordinal)
                .Replace("|HFX01", "|" + providerOds, StringComparison.Ordinal);
            json = SampleUuids.Aggregate(json, (text, uuid) => text.Replace(uuid, Guid.NewGuid().ToString(), StringComparison.Ordinal));
            foreach (var entry in JsonNode.Parse(json)!["entry"]!.AsArray().ToList())
            {
                entries.Add(entry!.DeepClone());
            }
        }

        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };

        using var response = await gateway.Client.PostBundleAsync(bundle.ToJsonString(), ("Prefer", "return=minimal"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(3 * referrals, result.Entry.Count);
        Assert.All(result.Entry, e => Assert.Equal("201 Created", e.Response.Status));
        var tasks = await gateway.Client.SearchAsync("Task?_summary=count");
        Assert.Equal(referrals, tasks.Total);
    }
}
