using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Api.Smart;

/// <summary>
/// Bearer validation that remembers a token it has validated, so a client sending the same token
/// with every request pays the ECDSA signature check and the claims parsing once per token rather
/// than once per request (about a twentieth of a Patient create's gateway CPU, docs/performance.md).
/// A remembered token is accepted only while the validation it passed would still pass it: before
/// its expiry plus the clock skew, on the clock the validation uses, and while the key that signed
/// it is still one of the validating keys. Anything else (a token not seen, or seen and since
/// expired, or signed by a key since retired) is validated afresh, so it is refused with the same
/// reason as before. Revocation is not a token matter here: a client the partners file no longer
/// lists is refused per request by <see cref="CallerResolution"/>, after this.
/// Each request gets its own copy of the claims, so nothing one request does to them reaches another.
/// </summary>
public sealed class ValidatedTokenCache : JsonWebTokenHandler
{
    // Tokens live a few minutes; this bounds memory if many clients each hold one.
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, TokenValidationResult> _validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        if (token is not null && _validated.TryGetValue(token, out var known))
        {
            if (StillValid(known, validationParameters))
            {
                return Copy(known);
            }

            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && token is not null && validationParameters.ValidateLifetime && result.SecurityToken is JsonWebToken { SigningKey: not null })
        {
            if (_validated.Count >= MaxEntries)
            {
                Prune(validationParameters);
            }

            _validated[token] = result;
            return Copy(result);
        }

        return result;
    }

    private static bool StillValid(TokenValidationResult known, TokenValidationParameters parameters)
    {
        var token = (JsonWebToken)known.SecurityToken;
        // The system clock, as IdentityModel's lifetime check reads it (not the host's TimeProvider, which tests may move).
        return TimeProvider.System.GetUtcNow().UtcDateTime < token.ValidTo.Add(parameters.ClockSkew) && SigningKeyStillValidates(token, parameters);
    }

    private static bool SigningKeyStillValidates(JsonWebToken token, TokenValidationParameters parameters)
    {
        var keys = parameters.IssuerSigningKeyResolver?.Invoke(token.EncodedToken, token, token.Kid, parameters)
            ?? parameters.IssuerSigningKeys
            ?? (parameters.IssuerSigningKey is { } single ? [single] : []);
        return keys.Any(key => ReferenceEquals(key, token.SigningKey) || (key.KeyId is { } id && id == token.SigningKey.KeyId));
    }

    private void Prune(TokenValidationParameters parameters)
    {
        foreach (var (token, result) in _validated)
        {
            if (!StillValid(result, parameters))
            {
                _validated.TryRemove(token, out _);
            }
        }

        if (_validated.Count >= MaxEntries)
        {
            _validated.Clear();
        }
    }

    private static TokenValidationResult Copy(TokenValidationResult known) => new()
    {
        IsValid = true,
        SecurityToken = known.SecurityToken,
        ClaimsIdentity = known.ClaimsIdentity is CaseSensitiveClaimsIdentity ? new CaseSensitiveClaimsIdentity(known.ClaimsIdentity) : known.ClaimsIdentity.Clone(),
        Issuer = known.Issuer,
        TokenType = known.TokenType,
        TokenContext = known.TokenContext,
    };
}
