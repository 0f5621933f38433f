namespace Gateway.Api.Smart;

/// <summary>The routes of the authorization server: discovery, token, public keys.</summary>
public static class SmartEndpoints
{
    public static IEndpointRouteBuilder MapSmart(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fhir/.well-known/smart-configuration", SmartConfiguration.Handle).WithName("smart-configuration").AllowAnonymous();
        app.MapPost(TokenEndpoint.Path, TokenEndpoint.Handle).WithName("token").AllowAnonymous().DisableAntiforgery().RequireRateLimiting(Access.ClientRateLimiting.Policy)
            .WithTags("Authorization").WithSummary("Get an access token (SMART backend services: client_credentials with a JWT client assertion)")
            .AddOpenApiOperationTransformer(OpenApi.ApiDocument.Body<OpenApi.TokenRequestShape>("application/x-www-form-urlencoded")).Produces<OpenApi.TokenResponseShape>()
            .Produces<OpenApi.OAuthErrorShape>(StatusCodes.Status400BadRequest).Produces<OpenApi.OAuthErrorShape>(StatusCodes.Status401Unauthorized);
        app.MapGet("/auth/jwks", (SigningKeys keys) => Results.Json(keys.PublicJwks())).WithName("jwks").AllowAnonymous()
            .WithTags("Authorization").WithSummary("The public keys the gateway signs its access tokens with (JWKS)");
        return app;
    }
}
