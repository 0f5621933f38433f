using System.Net;
using System.Net.Http.Headers;
using Gateway.Testing;

namespace Gateway.Api.Tests.Sandbox;

/// <summary>
/// Issue 21, item 3, over HTTP: a browser's Accept gets a readable HTML page of a FHIR answer;
/// FHIR clients (which often send */*) get JSON or XML exactly as before.
/// </summary>
public sealed class BrowserViewTests(SandboxGatewayApp sandbox) : IClassFixture<SandboxGatewayApp>
{
    private const string ChromiumAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    [Theory]
    [InlineData("*/*", "application/fhir+json")]
    [InlineData(null, "application/fhir+json")]
    [InlineData("application/fhir+json", "application/fhir+json")]
    [InlineData("application/json", "application/fhir+json")]
    [InlineData("application/fhir+xml", "application/fhir+xml")]
    [InlineData("application/fhir+json, text/html;q=0.5", "application/fhir+json")]
    public async Task Clients_get_json_or_xml_as_they_ask(string? accept, string expected)
    {
        using var response = await GetAsync("fhir/metadata", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("CapabilityStatement", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_gets_the_capability_statement_as_an_html_page_with_the_json_pretty_printed()
    {
        using var response = await GetAsync("fhir/metadata", ChromiumAccept);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("\n  &quot;resourceType&quot;: &quot;CapabilityStatement&quot;,\n", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Format_parameter_wins_over_the_browsers_accept()
    {
        using var response = await GetAsync("fhir/metadata?_format=xml", ChromiumAccept);

        Assert.Equal("application/fhir+xml", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Writes_and_paths_outside_the_apis_are_never_turned_into_html()
    {
        using var anonymous = new HttpClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(sandbox.Root, "fhir/Patient")) { Content = new StringContent("{}") };
        post.Headers.Accept.ParseAdd(ChromiumAccept);
        post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");

        using var response = await anonymous.SendAsync(post);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.Root, path));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await client.SendAsync(request);
    }
}
