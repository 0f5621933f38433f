using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Cli;

/// <summary>A SMART backend-services client assertion signed with the client's private JWK (RS384 for RSA keys, ES384 for EC keys).</summary>
public static class ClientAssertion
{
    /// <summary>Reads the private key of <paramref name="clientId"/> from a keys file shaped like the samples' demo-client-keys.private.json.</summary>
    public static JsonWebKey PrivateKey(string keysFile, string clientId)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(keysFile));
        if (!document.RootElement.TryGetProperty(clientId, out var jwks))
        {
            throw new InvalidOperationException($"{keysFile} has no keys for client '{clientId}'.");
        }

        return new JsonWebKeySet(jwks.GetRawText()).Keys.FirstOrDefault(k => k.D is not null)
            ?? throw new InvalidOperationException($"{keysFile} holds no private key ('d') for client '{clientId}'.");
    }

    public static string Sign(JsonWebKey key, string clientId, string tokenEndpoint, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = tokenEndpoint,
            IssuedAt = now.UtcDateTime,
            Expires = now.AddMinutes(4).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(key, key.Kty == "RSA" ? SecurityAlgorithms.RsaSha384 : SecurityAlgorithms.EcdsaSha384),
        });
    }
}
