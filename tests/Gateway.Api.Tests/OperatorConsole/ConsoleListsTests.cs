using Gateway.Testing;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>Issue 21, item 9: the lists name a referral as people do (the GP's referral id, the patient), and a record shows what the partner sent.</summary>
public sealed class ConsoleListsTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task The_referrals_list_shows_the_gps_referral_id_and_the_patients_name()
    {
        var referralId = "SP-" + Guid.NewGuid().ToString("N");
        var nhs = Resources.NewNhsNumber();
        var taskId = await ConsoleReferrals.SendAsync(gateway.Client, nhs, referralId);
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        var html = await client.GetStringAsync($"console/referrals?q={nhs}");

        var row = html[html.IndexOf($"Task/{taskId}", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains($"<td>{referralId}</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td>Margaret Okafor</td>", row, StringComparison.Ordinal);
        Assert.Contains("<th>GP&#x27;s referral id</th><th>Patient</th>", html, StringComparison.Ordinal);
        var timeline = await client.GetStringAsync($"console/referrals/{taskId}");
        Assert.Contains($"<strong id=\"gp-referral-id\">{referralId}</strong>", timeline, StringComparison.Ordinal);
        Assert.Contains("<span id=\"patient\">Margaret Okafor</span>", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_page_shows_the_body_as_the_partner_sent_it_as_text()
    {
        var referralId = "SP-unknown-" + Guid.NewGuid().ToString("N");
        var (recordId, outcome) = await ConsoleReferrals.PostCaseAsync(await gateway.CreateClientAsync(TestPartners.Housing), referralId, Resources.NewNhsNumber());
        Assert.Equal("rejected", outcome);
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        var html = await client.GetStringAsync($"console/records/{recordId}");

        var body = html[html.IndexOf("<pre class=\"raw\" id=\"record-body\">", StringComparison.Ordinal)..];
        body = System.Net.WebUtility.HtmlDecode(body[(body.IndexOf('>') + 1)..body.IndexOf("</pre>", StringComparison.Ordinal)]);
        Assert.Contains(referralId, body, StringComparison.Ordinal);
        Assert.Equal(referralId, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("referral").GetProperty("serviceRequestIdentifier").GetProperty("value").GetString());
    }
}
