using System.Net;
using Gateway.Api.Tests.PartnerSync;
using Gateway.Jobs.PartnerSync;
using Gateway.Testing;
using Hangfire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>Issue 10: the console's partners page tells an operator how each partner's records reach the gateway, and a failing pull with its reason.</summary>
public sealed class ConsolePartnersTests(PartnerSyncGateway gateway) : IClassFixture<PartnerSyncGateway>
{
    [Fact]
    public async Task A_failing_pull_shows_on_the_partners_page_with_its_error_and_the_drop_folder_is_named()
    {
        gateway.Export.Failure = context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return context.Response.WriteAsync("export <b>down</b> for maintenance");
        };
        var jobId = HangfireJobs.Trigger(gateway, PullPartnerRecordsJob.RecurringId(TestPartners.Housing));
        await HangfireJobs.WaitForStateAsync(gateway, jobId, "Scheduled", "Failed");
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        var html = await client.GetStringAsync("console/partners");

        gateway.Services.GetRequiredService<IBackgroundJobClient>().Delete(jobId);
        gateway.Export.Failure = null;
        var housing = Row(html, TestPartners.Housing);
        Assert.Contains(WebUtility.HtmlEncode(gateway.Export.Url.ToString()), housing, StringComparison.Ordinal);
        Assert.Contains("Retry attempt 1 of 5", housing, StringComparison.Ordinal);
        Assert.Contains("the export answered 500", housing, StringComparison.Ordinal);
        Assert.Contains("export &lt;b&gt;down&lt;/b&gt; for maintenance", housing, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(gateway.DropFolder), Row(html, TestPartners.Welfare), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_without_the_pages_antiforgery_token_is_refused()
    {
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        using var forged = await client.PostAsync("console/records/some-record/replay", new FormUrlEncodedContent([]));
        using var forgedLogin = await client.PostAsync("console/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = TestPartners.OperatorUser, ["password"] = TestPartners.OperatorPassword }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedLogin.StatusCode);
    }

    [Fact]
    public async Task Pages_send_a_visitor_without_a_login_to_the_login_form_and_a_wrong_password_learns_nothing_more()
    {
        using var client = ConsoleHttp.Client(gateway);

        using var page = await client.GetAsync("console/records");
        using var wrong = await ConsoleHttp.PostFormAsync(client, "console/login", "console/login",
            new() { ["user"] = "nobody", ["password"] = TestPartners.OperatorPassword, ["returnUrl"] = "" });
        using var wrongPassword = await ConsoleHttp.PostFormAsync(client, "console/login", "console/login",
            new() { ["user"] = TestPartners.OperatorUser, ["password"] = "guess", ["returnUrl"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/console/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(Message(await wrong.Content.ReadAsStringAsync()), Message(await wrongPassword.Content.ReadAsStringAsync()));
    }

    private static string Message(string html) => html[html.IndexOf("<p class=\"error\"", StringComparison.Ordinal)..html.IndexOf("<form", StringComparison.Ordinal)];

    // The partners table's row of one partner (its id is the row's first cell).
    private static string Row(string html, string partnerId)
    {
        var start = html.IndexOf($"<tr><td><strong>{partnerId}</strong>", StringComparison.Ordinal);
        Assert.True(start >= 0, $"The partners page has no row for {partnerId}.");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }
}
