using System.Net;
using Gateway.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// Issue 19, item 6, over plain HTTP: the outcomes page's figures for an operator and for a
/// commissioner login on a store with known numbers (<see cref="OutcomesGateway"/>), its CSV, and
/// a commissioner login refused on every other console route.
/// </summary>
public sealed class OutcomesPageTests(OutcomesGateway gateway) : IClassFixture<OutcomesGateway>
{
    // What a commissioner login may reach: the login form, the stylesheet, the outcomes page, its CSV, logging out.
    private static readonly string[] CommissionerRoutes = ["/console/login", "/console/console.css", "/console/outcomes", "/console/outcomes.csv", "/console/logout"];

    [Fact]
    public async Task An_operator_sees_every_practice_and_area_with_a_cell_of_three_suppressed()
    {
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        var html = await client.GetStringAsync("console/outcomes");

        Assert.Contains("<strong id=\"received-total\">23</strong>", html, StringComparison.Ordinal);
        Assert.Contains($"Other GP practice ({TestPartners.OtherGp})", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">WS1</th>", html, StringComparison.Ordinal);
        // Three declined, no-capacity: "<5", in the chart and its table.
        Assert.Contains("<tr><th scope=\"row\">declined: no-capacity</th><td>&lt;5</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"suppression-note\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_link_gives_the_figures_evaluate_measure_gives_as_csv()
    {
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);
        var period = $"periodStart={gateway.Referred:yyyy-MM}-01&periodEnd={gateway.Clock.GetUtcNow():yyyy-MM-dd}";

        using var response = await client.GetAsync("console/outcomes.csv?" + period);
        var csv = await response.Content.ReadAsStringAsync();
        var fhir = await gateway.Operator.GetStringAsync("Measure/$evaluate-measure?_format=csv&" + period);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(fhir, csv);
        Assert.Contains("referrals-closed,", csv, StringComparison.Ordinal);
        Assert.Contains(",declined,reason,no-capacity,<5,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_narrows_the_figures_to_one_area_or_practice()
    {
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        var ws1 = await client.GetStringAsync("console/outcomes?area=WS1");
        var otherPractice = await client.GetStringAsync($"console/outcomes?practice={TestPartners.OtherGp}");

        Assert.Contains("<strong id=\"received-total\">7</strong>", ws1, StringComparison.Ordinal);
        Assert.Contains("<strong id=\"received-total\">5</strong>", otherPractice, StringComparison.Ordinal);
        Assert.Contains("<option value=\"WS2\">WS2</option>", ws1, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commissioner_login_sees_its_area_only_and_never_unsuppressed()
    {
        using var client = ConsoleHttp.Client(gateway);
        using var login = await ConsoleHttp.PostFormAsync(client, "console/login", "console/login",
            new() { ["user"] = TestPartners.CommissionerUser, ["password"] = TestPartners.CommissionerPassword, ["returnUrl"] = "/console/referrals" });
        Assert.Equal("/console/outcomes", login.Headers.Location?.OriginalString);

        var html = await client.GetStringAsync("console/outcomes");
        // Asking for the other practice or area narrows the commissioner's scope; it never widens it.
        var outside = await client.GetStringAsync($"console/outcomes?practice={TestPartners.OtherGp}&area=WS1");

        Assert.Contains("<strong id=\"received-total\">16</strong>", html, StringComparison.Ordinal);
        Assert.Contains("Test integrated care board", html, StringComparison.Ordinal);
        Assert.DoesNotContain(TestPartners.OtherGp, html, StringComparison.Ordinal);
        Assert.DoesNotContain("WS1", html, StringComparison.Ordinal);
        Assert.Contains("&lt;5", html, StringComparison.Ordinal);
        Assert.Contains("<strong id=\"received-total\">0</strong>", outside, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/console/outcomes\">Outcomes</a></nav>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/console/referrals", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commissioner_login_is_refused_on_every_other_console_route_and_on_jobs()
    {
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client, TestPartners.CommissionerPassword, TestPartners.CommissionerUser);
        var routes = ConsoleRoutes().Where(r => !CommissionerRoutes.Contains(r.Path)).ToList();
        Assert.Contains(routes, r => r.Path == "/console/referrals");
        Assert.Contains(routes, r => r.Path.StartsWith("/console/api/", StringComparison.Ordinal));

        foreach (var (method, path) in routes.Append(("GET", "/jobs")))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/')) { Content = method == "POST" ? new FormUrlEncodedContent([]) : null };
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized,
                $"{method} {path} answered a commissioner login {(int)response.StatusCode}, not 403 or 401.");
        }
    }

    [Fact]
    public async Task A_period_that_is_not_a_date_is_400_saying_which()
    {
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        using var response = await client.GetAsync("console/outcomes?periodEnd=31-12-2026");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Parameter periodEnd: &#x27;31-12-2026&#x27; is not a FHIR date", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // Every console route the gateway maps, its parameters filled in: a page added later is covered without editing this test.
    private IEnumerable<(string Method, string Path)> ConsoleRoutes() =>
        gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/console", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, "\\{[^}]+\\}", "x"))))
            .Distinct();
}
