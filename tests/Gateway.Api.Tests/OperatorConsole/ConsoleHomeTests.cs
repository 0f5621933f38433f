using System.Net;
using Gateway.Testing;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// Issue 21, item 8: the console's home page counts referrals by state per partner, SLA breaches,
/// partner records per day and failing deliveries, and each number links to its list. A gateway
/// of its own, so the counts are exactly what these tests sent.
/// </summary>
public sealed class ConsoleHomeTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task The_home_page_counts_referrals_by_state_per_partner_and_records_per_day_each_linked_to_its_list()
    {
        var (first, second) = ("SP-" + Guid.NewGuid().ToString("N"), "SP-" + Guid.NewGuid().ToString("N"));
        var firstNhs = Resources.NewNhsNumber();
        var firstTask = await ConsoleReferrals.SendAsync(gateway.Client, firstNhs, first);
        var secondTask = await ConsoleReferrals.SendAsync(gateway.Client, Resources.NewNhsNumber(), second);
        var owner = (await (await gateway.Client.GetAsync($"Task/{firstTask}")).ReadResourceAsync<FhirTask>()).Owner.Reference.Split('/')[1];
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        Assert.Equal("accepted", (await ConsoleReferrals.PostCaseAsync(housing, first, firstNhs)).Outcome);
        Assert.Equal("rejected", (await ConsoleReferrals.PostCaseAsync(housing, "SP-unknown-" + Guid.NewGuid().ToString("N"), Resources.NewNhsNumber())).Outcome);
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        var html = await client.GetStringAsync("console");

        // The engaged case moved the first referral on; the second still waits for its owner.
        var states = ConsolePage.ChartRows(html, "referral-states");
        var headings = ConsolePage.ChartHeadings(html, "referral-states");
        var row = states.Single(r => r.Cells[0] == owner);
        Assert.Equal("1", row.Cells[headings.IndexOf("requested")]);
        Assert.Equal("1", row.Cells[headings.IndexOf("in-progress")]);
        Assert.Equal("2", row.Cells[headings.IndexOf("Total")]);
        Assert.Equal(2, ConsolePage.Tile(html, "open-referrals").Count);

        var days = ConsolePage.ChartRows(html, "records-per-day").Where(r => r.Cells[^1] != "0").ToList();
        Assert.Equal(["Day", "accepted", "rejected", "waiting", "Total"], ConsolePage.ChartHeadings(html, "records-per-day"));
        Assert.Equal(["1", "1", "0", "2"], days.Single().Cells[1..]);
        Assert.Equal("/console/records", days.Single().Links[2]);
        Assert.Equal((1, "/console/records"), ConsolePage.Tile(html, "rejected-record-count"));
        Assert.Equal(0, ConsolePage.Tile(html, "sla-breach-count").Count);
        Assert.Equal(0, ConsolePage.Tile(html, "failing-delivery-count").Count);

        // The count of requested referrals links to the list of exactly those.
        var requested = await client.GetStringAsync(WebUtility.HtmlDecode(row.Links[headings.IndexOf("requested")]!));
        Assert.Contains($"Task/{secondTask}", requested, StringComparison.Ordinal);
        Assert.DoesNotContain($"Task/{firstTask}", requested, StringComparison.Ordinal);
        var open = await client.GetStringAsync(ConsolePage.Tile(html, "open-referrals").Href);
        Assert.Contains($"Task/{firstTask}", open, StringComparison.Ordinal);
        Assert.Contains($"Task/{secondTask}", open, StringComparison.Ordinal);
        Assert.Contains("id=\"no-referrals\"", await client.GetStringAsync(ConsolePage.Tile(html, "sla-breach-count").Href), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logging_in_lands_on_the_home_page_with_its_charts_drawn_and_a_table_beside_each()
    {
        using var client = ConsoleHttp.Client(gateway);
        using var login = await ConsoleHttp.PostFormAsync(client, "console/login", "console/login",
            new() { ["user"] = TestPartners.OperatorUser, ["password"] = TestPartners.OperatorPassword, ["returnUrl"] = "" });

        Assert.Equal("/console", login.Headers.Location!.OriginalString);
        var html = await client.GetStringAsync("console");
        foreach (var chart in new[] { "referral-states", "sla-breaches", "records-per-day", "failing-deliveries" })
        {
            Assert.Contains($"aria-labelledby=\"{chart}-title {chart}-desc\"", html, StringComparison.Ordinal);
            ConsolePage.ChartRows(html, chart);
        }
    }
}
