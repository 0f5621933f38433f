using Gateway.Fhir.Partners;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Api.Smart;

/// <summary>
/// A client's public keys: the JWKS of the partners file, or fetched from the client's
/// <c>jwksUrl</c> and cached (SMART backend services: "the server SHOULD cache the keys", and
/// fetch again when an assertion names a key id it has not seen).
/// </summary>
public sealed class ClientKeys(IHttpClientFactory httpClients, IMemoryCache cache, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    public async Task<IReadOnlyList<SecurityKey>> ForAsync(ApiClient client, string? kid, CancellationToken ct)
    {
        if (client.Jwks is { } inline)
        {
            return [.. new JsonWebKeySet(inline.GetRawText()).GetSigningKeys()];
        }

        var key = "jwks:" + client.JwksUrl;
        if (cache.TryGetValue(key, out IReadOnlyList<SecurityKey>? cached) && cached is not null
            && (kid is null || cached.Any(k => k.KeyId == kid)))
        {
            return cached;
        }

        var json = await httpClients.CreateClient(nameof(ClientKeys)).GetStringAsync(client.JwksUrl, ct);
        IReadOnlyList<SecurityKey> keys = [.. new JsonWebKeySet(json).GetSigningKeys()];
        cache.Set(key, keys, clock.GetUtcNow() + CacheFor);
        return keys;
    }
}
