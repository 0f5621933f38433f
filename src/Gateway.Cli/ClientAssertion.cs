using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Cli;

/// <summary>A SMART backend-services client assertion signed with the client's private JWK (RS384 for RSA keys, ES384 for EC keys).</summary>
public static class ClientAssertion
{
    /// <summary>Reads the private key of <paramref name="clientId"/> from a keys file shaped like demo-client-keys.private.json (what <c>keys new</c> writes).</summary>
    public static JsonWebKey PrivateKey(FileInfo keysFile, string clientId)
    {
        ArgumentNullException.ThrowIfNull(keysFile);
        if (!keysFile.Exists)
        {
            throw new CliException($"The keys file {keysFile.FullName} does not exist. Say --keys <file of private JWKS by client id> (`gateway keys new` writes one).");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(keysFile.FullName));
            if (!document.RootElement.TryGetProperty(clientId, out var jwks))
            {
                var clients = document.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('_'));
                throw new CliException($"{keysFile.FullName} has no keys for client '{clientId}'; it has keys for: {string.Join(", ", clients)}.");
            }

            return new JsonWebKeySet(jwks.GetRawText()).Keys.FirstOrDefault(k => k.D is not null)
                ?? throw new CliException($"{keysFile.FullName} holds no private key ('d') for client '{clientId}'.");
        }
        catch (JsonException e)
        {
            throw new CliException($"{keysFile.FullName} is not JSON: {e.Message}");
        }
    }

    public static string Sign(JsonWebKey key, string clientId, string tokenEndpoint, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(clock);
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
