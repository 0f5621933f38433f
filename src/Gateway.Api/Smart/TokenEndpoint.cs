using System.Security.Claims;
using Gateway.Fhir.Access;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Api.Smart;

/// <summary>
/// POST /auth/token: the client_credentials grant with a JWT client assertion (SMART backend
/// services, RFC 7523), answering a short-lived access token whose scopes are the request's,
/// narrowed to what the partners file allows the client.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/auth/token";
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static async Task<IResult> Handle(HttpRequest request, ClientAssertionValidator assertions, SigningKeys signingKeys, IOptions<AuthOptions> options, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            if (!request.HasFormContentType)
            {
                throw new OAuthErrorException("invalid_request", "Send the token request as application/x-www-form-urlencoded.");
            }

            var form = await request.ReadFormAsync(ct);
            if (form["grant_type"] != "client_credentials")
            {
                throw new OAuthErrorException("unsupported_grant_type", "Only grant_type=client_credentials is supported.");
            }

            if (form["client_assertion_type"] != AssertionType)
            {
                throw new OAuthErrorException("invalid_client", $"client_assertion_type must be {AssertionType}.");
            }

            var assertion = form["client_assertion"].ToString();
            if (assertion.Length == 0)
            {
                throw new OAuthErrorException("invalid_client", "client_assertion is missing.");
            }

            var endpoint = options.Value.TokenEndpoint ?? $"{request.Scheme}://{request.Host}{request.PathBase}{Path}";
            var (partner, client) = await assertions.ValidateAsync(assertion, endpoint, ct);
            request.HttpContext.Items[Access.AuditMiddleware.TokenClientItem] = client.ClientId;
            var requested = form["scope"].ToString();
            if (requested.Length == 0)
            {
                throw new OAuthErrorException("invalid_scope", "The scope parameter is required, e.g. scope=system/Task.rs.");
            }

            var granted = SmartScopes.Parse(client.Scopes).Narrow(SmartScopes.Parse(requested));
            if (granted.Length == 0)
            {
                throw new OAuthErrorException("invalid_scope", $"None of the requested scopes ({requested}) is allowed for {client.ClientId}; it may have: {client.Scopes}.");
            }

            var lifetime = TimeSpan.FromSeconds(options.Value.AccessTokenLifetimeSeconds);
            var now = clock.GetUtcNow();
            var signing = signingKeys.Current;
            var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = options.Value.Issuer,
                Audience = options.Value.Audience,
                IssuedAt = now.UtcDateTime,
                NotBefore = now.UtcDateTime,
                Expires = (now + lifetime).UtcDateTime,
                SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.EcdsaSha256),
                Subject = new ClaimsIdentity(
                [
                    new Claim("sub", client.ClientId),
                    new Claim(GatewayClaims.ClientId, client.ClientId),
                    new Claim(GatewayClaims.Partner, partner.Id),
                    new Claim(GatewayClaims.Scope, granted),
                    new Claim("jti", Guid.NewGuid().ToString("N")),
                ]),
            });

            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = token,
                ["token_type"] = "bearer",
                ["expires_in"] = (int)lifetime.TotalSeconds,
                ["scope"] = granted,
            });
        }
        catch (OAuthErrorException error)
        {
            return error.ToResult();
        }
    }
}
