using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

/// <summary>
/// The GP sample transaction (shared/samples/gp/referral-transaction.json) with fresh identifiers,
/// so no test meets another's Patient, referral or provider Organization, created through the API.
/// The requester stays the sending GP practice: the test GP partner carries the sample's ODS code
/// M85001, and a GP may only refer in its own name.
/// </summary>
internal sealed record GpReferral(string Json, string GpId, string ProviderId)
{
    public static async Task<GpReferral> PrepareAsync(HttpClient client)
    {
        var providerOds = TransactionTests.NewOdsCode();
        var json = Samples.Read("gp/referral-transaction.json")
            .Replace("9995908301", Resources.NewNhsNumber(), StringComparison.Ordinal)
            .Replace("SP-2026-1187", "SP-" + Guid.NewGuid().ToString("N"), StringComparison.Ordinal)
            .Replace("|HFX01", "|" + providerOds, StringComparison.Ordinal);
        return new GpReferral(json, TestPartners.Gp, await CreateAsync(client, providerOds));
    }

    private static async Task<string> CreateAsync(HttpClient client, string odsCode)
    {
        using var response = await client.PostAsync("Organization", Resources.OrganizationWithOds(odsCode));
        return (await response.ReadResourceAsync<Organization>()).Id!;
    }
}
