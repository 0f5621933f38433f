using System.Text.Json;
using Gateway.Cli;

namespace Gateway.LoadDriver;

/// <summary>Access tokens for the driver's clients, got as any partner gets them and renewed before their five minutes run out.</summary>
public sealed class AccessTokens(HttpClient http, Uri gateway, string keysFile) : IDisposable
{
    private readonly Dictionary<string, (string Token, DateTimeOffset Renew)> _tokens = [];
    private readonly SemaphoreSlim _lock = new(1, 1);

    public void Dispose() => _lock.Dispose();

    public async Task<string> ForAsync(string clientId, string scope, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            var now = TimeProvider.System.GetUtcNow();
            if (_tokens.TryGetValue(clientId + " " + scope, out var held) && held.Renew > now)
            {
                return held.Token;
            }

            var tokenEndpoint = new Uri(gateway, "/auth/token").ToString();
            var assertion = ClientAssertion.Sign(ClientAssertion.PrivateKey(new FileInfo(keysFile), clientId), clientId, tokenEndpoint, TimeProvider.System);
            using var response = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = assertion,
                ["scope"] = scope,
            }), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The token endpoint refused {clientId} ({(int)response.StatusCode}): {body}");
            }

            var token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
            _tokens[clientId + " " + scope] = (token, now.AddMinutes(3));
            return token;
        }
        finally
        {
            _lock.Release();
        }
    }
}
