using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Testing;

/// <summary>
/// The demo clients of src/Gateway.Api/Demo/partners.json, signing client assertions with the demo
/// private keys, as the README's walkthrough does through the command-line tool.
/// </summary>
public static class DemoClients
{
    public const string Gp = "hillside-emis";
    public const string Housing = "hfactor-crm";
    public const string Welfare = "wor-kampen";
    public const string Operator = "ops-cli";

    /// <summary>A client assertion of <paramref name="clientId"/> for the token endpoint <paramref name="audience"/>.</summary>
    public static string Assertion(string clientId, string audience)
    {
        using var keys = JsonDocument.Parse(File.ReadAllText(Repository.DemoKeysFile));
        var key = new JsonWebKeySet(keys.RootElement.GetProperty(clientId).GetRawText()).Keys.Single(k => k.D is not null);
        var now = DateTimeOffset.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            Expires = now.AddMinutes(4).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(key, key.Kty == "RSA" ? SecurityAlgorithms.RsaSha384 : SecurityAlgorithms.EcdsaSha384),
        });
    }

    /// <summary>The scopes the demo partners file registers for the client: asking for all of them gets all of them.</summary>
    public static string RegisteredScopes(string clientId)
    {
        using var partners = JsonDocument.Parse(File.ReadAllText(Repository.DemoPartnersFile));
        return partners.RootElement.GetProperty("partners").EnumerateArray()
            .SelectMany(p => p.GetProperty("clients").EnumerateArray())
            .Single(c => c.GetProperty("clientId").GetString() == clientId)
            .GetProperty("scopes").GetString()!;
    }

    /// <summary>An access token for the demo client, through the real token endpoint, with every scope it is registered for.</summary>
    public static async Task<string> TokenAsync(Uri tokenEndpoint, string clientId)
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.PostAsync(tokenEndpoint, TestPartners.TokenRequest(Assertion(clientId, tokenEndpoint.ToString()), RegisteredScopes(clientId)));
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!
            : throw new InvalidOperationException($"The token request for {clientId} answered {(int)response.StatusCode}: {body}");
    }
}
