using System.Runtime.CompilerServices;
using System.Text.Json;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// The feed's pages byte for byte as the POCO-based mapping wrote them before it read the stored
/// JSON directly (issue 18, fifth pass): consented, unconsented and expired-consent NHS patients
/// for the housing provider, a BSN patient for the welfare organisation. Ids, times and generated
/// numbers differ from run to run, so each distinct one is replaced by a numbered placeholder in
/// both; everything else (members, their order, escaping, what is left out) must match.
/// </summary>
public sealed class ReferralFeedBytesTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private static readonly string[] Varying = ["gatewayTaskId", "sentAt", "referralNumber", "gatewayReferralNumber", "respondBy", "nhsNumber", "clientNumber"];

    [Fact]
    public async System.Threading.Tasks.Task A_page_is_what_the_poco_mapping_wrote()
    {
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O"));
        await Referrals.SendUkSampleAsync(gateway.Client);
        await Referrals.SendUkSampleAsync(gateway.Client, withConsent: false);
        await SendWithExpiredConsentAsync();
        await Referrals.SendDutchAsync(gateway.Client);
        await Referrals.SendUkSampleAsync(gateway.Client, postcode: "WS1 1AA");

        var housing = await PageAsync(TestPartners.Housing, since);
        var welfare = await PageAsync(TestPartners.Welfare, since);

        Assert.Equal(Golden(), Normalised(housing) + "\n" + Normalised(welfare) + "\n");
    }

    // A referral whose Consent ended last year: still active, still naming the provider, but not now.
    private async System.Threading.Tasks.Task SendWithExpiredConsentAsync()
    {
        var patient = await gateway.Client.CreateAsync(Resources.Patient(family: "Ó Briain"));
        await gateway.Client.CreateAsync(Resources.Consent(patient.Id, TestPartners.Housing, new Period { Start = "2024-01-01", End = "2025-06-30" }));
        await gateway.Client.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp));
    }

    private async Task<string> PageAsync(string partner, string since)
    {
        var client = await gateway.CreateClientAsync(partner);
        using var response = await client.GetAsync($"../records/referrals?since={since}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    private static string Normalised(string page)
    {
        var values = new List<string>();
        using (var document = JsonDocument.Parse(page))
        {
            foreach (var entry in document.RootElement.GetProperty("referrals").EnumerateArray())
            {
                Collect(entry, values);
            }
        }

        var names = values.Distinct().Select((value, i) => (value, name: "{" + (i + 1) + "}")).ToList();
        // Longest first, so a date is not replaced inside a date-time that contains it.
        foreach (var (value, name) in names.OrderByDescending(n => n.value.Length))
        {
            page = page.Replace(value, name, StringComparison.Ordinal);
        }

        return page;
    }

    private static void Collect(JsonElement element, List<string> values)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Object)
            {
                Collect(member.Value, values);
            }
            else if (member.Value.ValueKind == JsonValueKind.String && Varying.Contains(member.Name))
            {
                values.Add(member.Value.GetString()!);
            }
        }
    }

    private static string Golden([CallerFilePath] string source = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(source)!, "ReferralFeedBytes.golden.txt"));
}
