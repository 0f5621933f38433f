using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Testing;

namespace Gateway.Api.Tests.OpenApi;

/// <summary>The OpenAPI document of the non-FHIR endpoints, and its reference page, as an integration engineer opens them.</summary>
public sealed partial class OpenApiTests(GatewayApp gateway) : IClassFixture<GatewayApp>, IDisposable
{
    private readonly HttpClient _anonymous = new() { BaseAddress = gateway.Root };

    [Fact]
    public async Task The_document_lists_the_record_token_and_health_operations_and_not_fhir()
    {
        using var response = await _anonymous.GetAsync("openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[] { ("/records", "post"), ("/records/batch", "post"), ("/records/{id}", "get"), ("/records/{id}/replay", "post"),
                     ("/records/referrals", "get"), ("/auth/token", "post"), ("/health/live", "get"), ("/health/ready", "get") })
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is missing");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
        }

        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/fhir", StringComparison.Ordinal));
        Assert.Contains("CapabilityStatement", document.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_operations_say_what_they_take_and_answer()
    {
        var document = JsonDocument.Parse(await _anonymous.GetStringAsync("openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");

        var token = paths.GetProperty("/auth/token").GetProperty("post");
        var form = Schema(document, token.GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded"));
        Assert.Equal(["client_assertion", "client_assertion_type", "grant_type", "scope"], form.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.True(token.GetProperty("responses").TryGetProperty("400", out _));
        Assert.True(Schema(document, token.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")).GetProperty("properties").TryGetProperty("access_token", out _));

        var post = paths.GetProperty("/records").GetProperty("post");
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(Schema(document, post.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")).GetProperty("properties").TryGetProperty("outcome", out _));
        Assert.True(post.GetProperty("responses").GetProperty("422").GetProperty("content").TryGetProperty("application/fhir+json", out _));
        Assert.Equal("bearer", post.GetProperty("security")[0].EnumerateObject().Single().Name);
        var batch = paths.GetProperty("/records/batch").GetProperty("post");
        Assert.True(batch.GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
        Assert.Contains(batch.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "format");
    }

    [Fact]
    public async Task The_reference_page_loads_with_its_assets_from_the_gateway()
    {
        using var page = await _anonymous.GetAsync("openapi");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var sources = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fonts.scalar.com", html, StringComparison.OrdinalIgnoreCase);
        foreach (var source in sources)
        {
            var url = new Uri(page.RequestMessage!.RequestUri!, source);
            Assert.Equal(gateway.Root.Authority, url.Authority);
            using var asset = await _anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 1000, $"{url} is empty");
        }
    }

    public void Dispose() => _anonymous.Dispose();

    // A schema inline or by $ref into components.
    private static JsonElement Schema(JsonElement document, JsonElement mediaType)
    {
        var schema = mediaType.GetProperty("schema");
        return schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
