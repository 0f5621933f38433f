using System.Net;
using System.Text.RegularExpressions;
using Gateway.Testing;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>The console over plain HTTP with a cookie jar, as a browser without scripts uses it: for tests that need no rendering.</summary>
internal static partial class ConsoleHttp
{
    public static HttpClient Client(GatewayApp gateway) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = gateway.Root };

    /// <summary>Logs in through the login form (its antiforgery token included); fails unless it redirects into the console.</summary>
    public static async Task LogInAsync(HttpClient client, string password = TestPartners.OperatorPassword, string user = TestPartners.OperatorUser)
    {
        using var response = await PostFormAsync(client, "console/login", "console/login",
            new() { ["user"] = user, ["password"] = password, ["returnUrl"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Posts a form the way the page at <paramref name="page"/> would: with the antiforgery token it carries.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(page);
        fields["__antiforgery"] = WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__antiforgery\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
