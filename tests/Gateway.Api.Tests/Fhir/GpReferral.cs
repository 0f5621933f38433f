using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

/// <summary>
/// The GP sample transaction (shared/samples/gp/referral-transaction.json) with fresh identifiers,
/// so no test meets another's Patient, referral or Organizations, and the two Organizations its
/// conditional references name, created through the API.
/// </summary>
internal sealed record GpReferral(string Json, string GpId, string ProviderId)
{
    public static async Task<GpReferral> PrepareAsync(HttpClient client)
    {
        var gpOds = TransactionTests.NewOdsCode();
        var providerOds = TransactionTests.NewOdsCode();
        var json = Samples.Read("gp/referral-transaction.json")
            .Replace("9995908301", Resources.NewNhsNumber(), StringComparison.Ordinal)
            .Replace("SP-2026-1187", "SP-" + Guid.NewGuid().ToString("N"), StringComparison.Ordinal)
            .Replace("|M85001", "|" + gpOds, StringComparison.Ordinal)
            .Replace("|HFX01", "|" + providerOds, StringComparison.Ordinal);
        return new GpReferral(json, await CreateAsync(client, gpOds), await CreateAsync(client, providerOds));
    }

    private static async Task<string> CreateAsync(HttpClient client, string odsCode)
    {
        using var response = await client.PostAsync("Organization", Resources.OrganizationWithOds(odsCode));
        return (await response.ReadResourceAsync<Organization>()).Id!;
    }
}
