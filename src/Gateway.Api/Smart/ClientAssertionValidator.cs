using Gateway.Fhir.Partners;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Gateway.Api.Smart;

/// <summary>
/// Checks a SMART backend-services client assertion (hl7.org/fhir/smart-app-launch/backend-services.html#authenticating-to-the-token-endpoint):
/// signed RS384 or ES384 by a key registered for the client, <c>iss</c> = <c>sub</c> = client id,
/// <c>aud</c> = the token endpoint, <c>exp</c> at most five minutes ahead, <c>nbf</c> (when present)
/// not ahead, and a <c>jti</c> not seen before within its lifetime; a clock skew of 30 s is allowed.
/// </summary>
public sealed class ClientAssertionValidator(PartnerDirectory partners, ClientKeys keys, NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>The client the assertion authenticates, or an <see cref="OAuthErrorException"/> saying why not.</summary>
    public async Task<(Partner Partner, ApiClient Client)> ValidateAsync(string assertion, string tokenEndpoint, CancellationToken ct)
    {
        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(assertion);
        }
        catch (ArgumentException)
        {
            throw new OAuthErrorException("invalid_client", "client_assertion is not a JWT.");
        }

        var clientId = unverified.Issuer;
        if (string.IsNullOrEmpty(clientId) || !partners.TryFindClient(clientId, out var partner, out var client))
        {
            throw new OAuthErrorException("invalid_client", $"The assertion's iss '{clientId}' is not a registered client.");
        }

        if (unverified.Subject != clientId)
        {
            throw new OAuthErrorException("invalid_client", "The assertion's sub must equal its iss (the client id).");
        }

        var now = clock.GetUtcNow();
        var result = await _handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = clientId,
            ValidAudience = tokenEndpoint,
            IssuerSigningKeys = await keys.ForAsync(client, unverified.Kid, ct),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384],
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => expires is { } e && e > now.UtcDateTime - ClockSkew,
        });
        if (!result.IsValid)
        {
            throw new OAuthErrorException("invalid_client", Describe(result.Exception, tokenEndpoint, unverified.Audiences.ToList()));
        }

        if (unverified.ValidTo > (now + MaxLifetime + ClockSkew).UtcDateTime)
        {
            throw new OAuthErrorException("invalid_client", "The assertion's exp is more than five minutes ahead.");
        }

        // RFC 7519 §4.1.5: not to be accepted before nbf.
        if (unverified.TryGetPayloadValue<long>("nbf", out var notBefore) && DateTimeOffset.FromUnixTimeSeconds(notBefore) > now + ClockSkew)
        {
            throw new OAuthErrorException("invalid_client", $"The assertion's nbf is {DateTimeOffset.FromUnixTimeSeconds(notBefore):u}, not yet valid (now {now:u}, {ClockSkew.TotalSeconds:0} s clock skew allowed).");
        }

        if (unverified.TryGetPayloadValue<long>("iat", out var issuedAt) && DateTimeOffset.FromUnixTimeSeconds(issuedAt) > now + ClockSkew)
        {
            throw new OAuthErrorException("invalid_client", "The assertion's iat is in the future.");
        }

        if (string.IsNullOrEmpty(unverified.Id))
        {
            throw new OAuthErrorException("invalid_client", "The assertion has no jti.");
        }

        await RefuseReplayAsync(clientId, unverified.Id, unverified.ValidTo, ct);
        return (partner, client);
    }

    private async Task RefuseReplayAsync(string clientId, string jti, DateTime expires, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        var forget = new NpgsqlBatchCommand("delete from client_assertion where expires_at < $1");
        forget.Parameters.Add(new() { Value = clock.GetUtcNow() - ClockSkew });
        var remember = new NpgsqlBatchCommand("insert into client_assertion (client_id, jti, expires_at) values ($1, $2, $3) on conflict do nothing");
        remember.Parameters.Add(new() { Value = clientId });
        remember.Parameters.Add(new() { Value = jti });
        remember.Parameters.Add(new() { Value = DateTime.SpecifyKind(expires, DateTimeKind.Utc) });
        batch.BatchCommands.Add(forget);
        batch.BatchCommands.Add(remember);
        await batch.ExecuteNonQueryAsync(ct);
        if (remember.RecordsAffected == 0)
        {
            throw new OAuthErrorException("invalid_client", $"The assertion's jti '{jti}' was already used; sign a new assertion for every token request.");
        }
    }

    private static string Describe(Exception? exception, string tokenEndpoint, List<string> audiences) => exception switch
    {
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The assertion's signature does not verify with any key registered for this client.",
        SecurityTokenInvalidAudienceException =>
            $"The assertion's aud is {(audiences.Count > 0 ? $"'{string.Join("', '", audiences)}'" : "missing")}, not this token endpoint's URL: put '{tokenEndpoint}' in aud.",
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException => "The assertion has expired.",
        SecurityTokenNoExpirationException => "The assertion has no exp.",
        SecurityTokenInvalidAlgorithmException => "The assertion must be signed with RS384 or ES384.",
        null => "The assertion is not valid.",
        _ => "The assertion is not valid: " + exception.Message,
    };
}
