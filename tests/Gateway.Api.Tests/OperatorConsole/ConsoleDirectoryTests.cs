using System.Net;
using System.Text;
using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.ServiceDirectory;
using Gateway.Mapping.LocalOffer;
using Gateway.Testing;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// Issue 20: the console's directory page shows an operator the local offer by area and category,
/// each service's capacity, and the last import of each directory source with its per-entry report.
/// </summary>
public sealed class ConsoleDirectoryTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task The_directory_page_lists_services_by_area_and_category_with_capacity_and_the_last_import_with_its_report()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Walsall Mens Shed", "volunteering", "WS2 9AA", accepts: false, waitDays: 30);
        await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Walsall Befriending Circle", "befriending", "WS1 3AY", accepts: true, waitDays: 7);
        var activities = "id;naam;categorie;gemeente;adres;postcode;contact;neemt_verwijzingen_aan;wachttijd_dagen\n"
            + "console-1;Wandelgroep De Buitenwacht;physical-activity;Kampen;Buitenhaven 4;8261 DR;038 000 0001;ja;7\n"
            + "console-2;;music;Kampen;;;;misschien;\n";
        using (var imported = await welfare.PostBatchAsync(ActivitiesCsvReader.Format, Encoding.UTF8.GetBytes(activities), "text/csv"))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        using var console = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(console);

        var html = await console.GetStringAsync("console/directory");

        var services = Table(html, "directory");
        var shed = Row(services, "Walsall Mens Shed");
        Assert.Contains("Walsall", shed, StringComparison.Ordinal);
        Assert.Contains("volunteering", shed, StringComparison.Ordinal);
        Assert.Contains("no capacity", shed, StringComparison.Ordinal);
        Assert.Contains("wait 30 days", shed, StringComparison.Ordinal);
        var befriending = Row(services, "Walsall Befriending Circle");
        Assert.Contains("takes referrals", befriending, StringComparison.Ordinal);
        Assert.Contains("wait 7 days", befriending, StringComparison.Ordinal);
        var walking = Row(services, "Wandelgroep De Buitenwacht");
        Assert.Contains("Kampen", walking, StringComparison.Ordinal);
        Assert.Contains("physical-activity", walking, StringComparison.Ordinal);
        // By area, then by category: Kampen before Walsall, and in Walsall befriending before volunteering.
        Assert.True(services.IndexOf("Wandelgroep", StringComparison.Ordinal) < services.IndexOf("Walsall Befriending Circle", StringComparison.Ordinal));
        Assert.True(services.IndexOf("Walsall Befriending Circle", StringComparison.Ordinal) < services.IndexOf("Walsall Mens Shed", StringComparison.Ordinal));

        var import = Row(Table(html, "directory-imports"), TestPartners.Welfare);
        Assert.Contains(ActivitiesCsvReader.Format, import, StringComparison.Ordinal);
        Assert.Contains("console-1: created", import, StringComparison.Ordinal);
        Assert.Contains("console-2: rejected", import, StringComparison.Ordinal);
        Assert.Contains("naam", import, StringComparison.Ordinal);
        Assert.Contains("misschien", import, StringComparison.Ordinal);
    }

    private static string Table(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"The page has no table {id}.");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static string Row(string table, string text) =>
        Assert.Single(table.Split("<tr", StringSplitOptions.None), r => r.Contains(text, StringComparison.Ordinal));
}
