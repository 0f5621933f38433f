using System.Net;
using Gateway.Api.Tests.Records;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>Referrals and housing-case records for the console tests, sent over HTTP as the GP's and the provider's systems do.</summary>
internal static class ConsoleReferrals
{
    /// <summary>The GP sample transaction (shared/samples/gp) for this patient and referral id, routed to the test housing provider.</summary>
    public static async Task<string> SendAsync(HttpClient gp, string nhsNumber, string referralId)
    {
        var json = Samples.Read("gp/referral-transaction.json")
            .Replace("9995908301", nhsNumber, StringComparison.Ordinal)
            .Replace("SP-2026-1187", referralId, StringComparison.Ordinal)
            .Replace("|HFX01", "|HFX09", StringComparison.Ordinal);
        using var response = await gp.PostBundleAsync(json);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = result.Entry.Select(e => e.Response.Location.Split('/')).First(l => l[0] == "ServiceRequest")[1];
        return (await gp.ReferralTaskAsync(requestId)).Id!;
    }

    /// <summary>Posts the engaged housing-case sample for the referral; answers the kept record's id and the outcome.</summary>
    public static async Task<(string RecordId, string Outcome)> PostCaseAsync(HttpClient housing, string referralId, string nhsNumber)
    {
        using var response = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, nhsNumber));
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            // A rejected record answers an OperationOutcome; where the kept record is says which.
            return (response.Headers.Location!.ToString().Split('/')[^1], "rejected");
        }

        var report = await response.JsonAsync();
        return (report.GetProperty("recordId").GetString()!, report.GetProperty("outcome").GetString()!);
    }
}
