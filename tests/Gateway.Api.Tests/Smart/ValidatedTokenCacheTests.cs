using System.Security.Claims;
using System.Security.Cryptography;
using Gateway.Api.Smart;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Api.Tests.Smart;

/// <summary>
/// A bearer token validated once is remembered (ValidatedTokenCache), and what validation refuses
/// is still refused: the same token once it has expired, or once the key that signed it no longer
/// validates; and no request sees another's claims.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly ECDsaSecurityKey Key = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "gateway-1" };
    private static readonly ECDsaSecurityKey NextKey = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "gateway-2" };

    [Fact]
    public async Task The_same_token_is_accepted_again_until_it_expires_then_refused_as_expired()
    {
        // Validation allows 30 s of clock skew: a token that expired 25 s ago is still valid for 5 s.
        var expires = DateTimeOffset.UtcNow.AddSeconds(-25);
        var token = Mint(expires);
        var cache = new ValidatedTokenCache();

        Assert.True((await cache.ValidateTokenAsync(token, Parameters(Key))).IsValid);
        while (DateTimeOffset.UtcNow <= expires.AddSeconds(31))
        {
            await Task.Delay(250);
        }

        var expired = await cache.ValidateTokenAsync(token, Parameters(Key));

        Assert.False(expired.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(expired.Exception);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_its_signing_key_no_longer_validates()
    {
        var token = Mint(DateTimeOffset.UtcNow.AddMinutes(5));
        var cache = new ValidatedTokenCache();

        Assert.True((await cache.ValidateTokenAsync(token, Parameters(Key, NextKey))).IsValid);
        var retired = await cache.ValidateTokenAsync(token, Parameters(NextKey));

        Assert.False(retired.IsValid);
        Assert.IsAssignableFrom<SecurityTokenSignatureKeyNotFoundException>(retired.Exception);
    }

    [Fact]
    public async Task Each_request_gets_claims_of_its_own()
    {
        var token = Mint(DateTimeOffset.UtcNow.AddMinutes(5));
        var cache = new ValidatedTokenCache();

        var first = await cache.ValidateTokenAsync(token, Parameters(Key));
        first.ClaimsIdentity.AddClaim(new Claim("added-by", "the first request"));
        var second = await cache.ValidateTokenAsync(token, Parameters(Key));

        Assert.True(second.IsValid);
        Assert.Null(second.ClaimsIdentity.FindFirst("added-by"));
        Assert.Equal("hillside-gp-client", second.ClaimsIdentity.FindFirst("client_id")?.Value);
        Assert.Equal(first.ClaimsIdentity.GetType(), second.ClaimsIdentity.GetType());
    }

    [Fact]
    public async Task A_token_that_failed_is_not_remembered_as_valid()
    {
        var token = Mint(DateTimeOffset.UtcNow.AddMinutes(5));
        var cache = new ValidatedTokenCache();

        Assert.False((await cache.ValidateTokenAsync(token, Parameters(NextKey))).IsValid);
        Assert.False((await cache.ValidateTokenAsync(token, Parameters(NextKey))).IsValid);
    }

    private static TokenValidationParameters Parameters(params SecurityKey[] keys) => new()
    {
        ValidIssuer = "urn:interop-gateway",
        ValidAudience = "urn:interop-gateway:api",
        IssuerSigningKeyResolver = (_, _, _, _) => keys,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    private static string Mint(DateTimeOffset expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "urn:interop-gateway",
            Audience = "urn:interop-gateway:api",
            IssuedAt = expires.AddMinutes(-5).UtcDateTime,
            NotBefore = expires.AddMinutes(-5).UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object> { ["client_id"] = "hillside-gp-client", ["scope"] = "system/*.cruds" },
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.EcdsaSha256),
        });
}
