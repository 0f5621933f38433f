using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Api.Smart;

/// <summary>
/// Why a bearer token was refused, in words a client developer can act on: when it expired (ISO
/// 8601, UTC), or which audience the gateway expected. Kept on the request when validation fails,
/// put into the 401's OperationOutcome (<see cref="Fhir.FhirStatusCodePages"/>) and the
/// <c>WWW-Authenticate</c> error_description (RFC 6750 §3), replacing the library's own text with
/// its culture-formatted date.
/// </summary>
public static class BearerFailure
{
    private const string Item = "Gateway.BearerFailure";

    public static JwtBearerEvents Events(string audience) => new()
    {
        OnAuthenticationFailed = context =>
        {
            context.HttpContext.Items[Item] = Describe(context.Exception, audience, Presented(context.Request));
            return Task.CompletedTask;
        },
        OnChallenge = context =>
        {
            if (Of(context.HttpContext) is { } reason)
            {
                context.ErrorDescription = reason;
            }

            return Task.CompletedTask;
        },
    };

    /// <summary>The reason this request's bearer token was refused, if it had one that failed validation.</summary>
    public static string? Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items.TryGetValue(Item, out var reason) ? reason as string : null;
    }

    public static string Describe(Exception exception, string audience, JsonWebToken? token) => exception switch
    {
        SecurityTokenExpiredException expired =>
            $"The access token expired at {Iso(expired.Expires)}; get a new one from the token endpoint (tokens live a few minutes).",
        SecurityTokenInvalidAudienceException =>
            $"The access token's aud is {(token?.Audiences.ToList() is { Count: > 0 } given ? $"'{string.Join("', '", given)}'" : "missing")}; this gateway expects '{audience}' (the tokens its token endpoint issues).",
        SecurityTokenInvalidIssuerException wrong =>
            $"The access token's iss '{wrong.InvalidIssuer}' is not this gateway's; get a token from the token endpoint named in /fhir/.well-known/smart-configuration.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The access token's signature does not verify with this gateway's keys; get a token from the token endpoint named in /fhir/.well-known/smart-configuration.",
        _ => "The access token is not valid (" + exception.GetType().Name.Replace("SecurityToken", "", StringComparison.Ordinal).Replace("Exception", "", StringComparison.Ordinal) + "); get a new one from the token endpoint named in /fhir/.well-known/smart-configuration.",
    };

    // The library leaves the refused audience out of its exception; the token itself says it.
    private static JsonWebToken? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        try
        {
            return header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? new JsonWebToken(header[Bearer.Length..].Trim()) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Iso(DateTime expires) =>
        DateTime.SpecifyKind(expires, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
