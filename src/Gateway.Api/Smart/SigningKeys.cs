using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Gateway.Api.Smart;

/// <summary>
/// The gateway's token signing keys (ES256), kept in the database so every instance signs and
/// validates alike. The newest key signs; every key not retired validates and is published as
/// JWKS, so a rotation never invalidates tokens in flight.
/// </summary>
public sealed class SigningKeys(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<AuthOptions> options) : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(1);
    private readonly TimeSpan _maxAge = TimeSpan.FromDays(options.Value.SigningKeyMaxAgeDays);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private List<JsonWebKey> _keys = [];

    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>The key new tokens are signed with.</summary>
    public JsonWebKey Current => _keys.Count > 0 ? _keys[0] : throw new InvalidOperationException("Signing keys are not loaded yet.");

    /// <summary>All keys that validate, newest first (refreshed from the database every minute, so a rotation elsewhere is seen).</summary>
    public IReadOnlyList<JsonWebKey> Validating
    {
        get
        {
            if (clock.GetUtcNow() - _loadedAt > RefreshEvery)
            {
                _ = LoadAsync(CancellationToken.None);
            }

            return _keys;
        }
    }

    /// <summary>
    /// Loads the keys: creates one when there is none or the newest is older than
    /// <c>Gateway:Auth:SigningKeyMaxAgeDays</c>, and retires keys a whole key age older than that,
    /// long after every token they signed has expired.
    /// </summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        if (!await _refresh.WaitAsync(0, ct))
        {
            return;
        }

        try
        {
            var keys = await ReadAsync(ct);
            var now = clock.GetUtcNow();
            if (keys.Count == 0 || now - keys[0].CreatedAt > _maxAge)
            {
                await RotateAsync(ct);
                await RetireOlderThanAsync(now - 2 * _maxAge, ct);
                keys = await ReadAsync(ct);
            }

            _keys = keys.ConvertAll(k => k.Key);
            _loadedAt = clock.GetUtcNow();
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Adds a new signing key; it signs from now on, and the older ones keep validating.</summary>
    public async Task RotateAsync(CancellationToken ct)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ecdsa) { KeyId = kid });
        jwk.Alg = SecurityAlgorithms.EcdsaSha256;
        jwk.Use = "sig";
        await using var insert = dataSource.CreateCommand("insert into signing_key (kid, private_jwk, created_at) values ($1, $2::jsonb, $3)");
        insert.Parameters.Add(new() { Value = kid });
        insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(jwk) });
        insert.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await insert.ExecuteNonQueryAsync(ct);
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>The public halves, for <c>/auth/jwks</c>.</summary>
    public object PublicJwks() => new
    {
        keys = Validating.Select(k => new { kty = k.Kty, crv = k.Crv, x = k.X, y = k.Y, kid = k.Kid, alg = k.Alg, use = k.Use }),
    };

    private async Task RetireOlderThanAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var retire = dataSource.CreateCommand("update signing_key set retired_at = $1 where retired_at is null and created_at < $2");
        retire.Parameters.Add(new() { Value = clock.GetUtcNow() });
        retire.Parameters.Add(new() { Value = cutoff });
        await retire.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<(JsonWebKey Key, DateTimeOffset CreatedAt)>> ReadAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select private_jwk::text, created_at from signing_key where retired_at is null order by created_at desc, kid");
        var keys = new List<(JsonWebKey, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            keys.Add((new JsonWebKey(reader.GetString(0)), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return keys;
    }
}
