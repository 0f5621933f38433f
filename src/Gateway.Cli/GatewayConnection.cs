using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Gateway.Cli;

/// <summary>
/// Talking to a running gateway: its root URL (a FHIR base ending in /fhir is accepted too), an
/// HTTP client, and what to say when nothing answers there.
/// </summary>
public sealed class GatewayConnection : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    private GatewayConnection(Uri root, SandboxDiscovery found)
    {
        Root = root;
        Found = found;
        Http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(10) };
    }

    /// <summary>The gateway's root, ending in a slash: <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri Root { get; }

    public HttpClient Http { get; }

    /// <summary>Where the URL came from, and the sandbox's development operator password when it is that sandbox.</summary>
    public SandboxDiscovery Found { get; }

    /// <summary>The gateway <c>--gateway</c> names, or else the one <see cref="SandboxDiscovery"/> finds.</summary>
    public static GatewayConnection To(string? given)
    {
        var found = SandboxDiscovery.Find(given);
        var url = found.Url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"{(found.Source.StartsWith('-') ? found.Source : $"The gateway URL from {found.Source}")} '{url}' is not an http(s) URL, e.g. {DefaultUrl}.");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/fhir", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^"/fhir".Length];
        }

        return new GatewayConnection(new UriBuilder(uri) { Path = path + "/", Query = "" }.Uri, found);
    }

    /// <summary>Sends a request; a gateway that does not answer becomes a message saying where and how to start one.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await Http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw NotReachable(e.Message);
        }
    }

    public CliException NotReachable(string why) => new(
        $"The gateway at {Root} is not reachable ({why}; the URL is {(Found.Source == "--gateway" ? "--gateway's" : "from " + Found.Source)}). " +
        $"Is the gateway running? dotnet run --project src/Gateway.Api (or say where it is with --gateway or {SandboxDiscovery.UrlVariable}).");

    /// <summary>An access token for the client, as <c>gateway token</c> gets it.</summary>
    public async Task<string> TokenAsync(string clientId, FileInfo keys, string scope, CancellationToken ct)
    {
        var (tokenEndpoint, assertion) = await AssertionAsync(clientId, keys, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = assertion,
                ["scope"] = scope,
            }),
        };
        using var response = await SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"The token endpoint refused client '{clientId}' ({(int)response.StatusCode}): {OAuthError(body)}", ExitCodes.Refused);
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The token endpoint from the SMART configuration, and a fresh client assertion of <paramref name="clientId"/> for it.</summary>
    public async Task<(string TokenEndpoint, string Assertion)> AssertionAsync(string clientId, FileInfo keys, CancellationToken ct)
    {
        using var configuration = await JsonAsync(new HttpRequestMessage(HttpMethod.Get, "fhir/.well-known/smart-configuration"), "the SMART configuration", ct);
        var tokenEndpoint = configuration.RootElement.GetProperty("token_endpoint").GetString()!;
        return (tokenEndpoint, ClientAssertion.Sign(ClientAssertion.PrivateKey(keys, clientId), clientId, tokenEndpoint, TimeProvider.System));
    }

    public void Authorize(string token) => Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    private async Task<JsonDocument> JsonAsync(HttpRequestMessage request, string what, CancellationToken ct)
    {
        using (request)
        {
            using var response = await SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            try
            {
                return response.IsSuccessStatusCode ? JsonDocument.Parse(body) : throw new JsonException();
            }
            catch (JsonException)
            {
                throw new CliException($"{Root} answered {(int)response.StatusCode} for {what} ({request.RequestUri}); is it an Interop Gateway?");
            }
        }
    }

    // RFC 6749 §5.2: {"error": "...", "error_description": "..."}.
    private static string OAuthError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var error = json.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
            var description = json.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null;
            return error is null ? body : description is null ? error : $"{error}: {description}";
        }
        catch (JsonException)
        {
            return body;
        }
    }

    public void Dispose() => Http.Dispose();
}
