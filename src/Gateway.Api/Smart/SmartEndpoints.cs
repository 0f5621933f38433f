namespace Gateway.Api.Smart;

/// <summary>The routes of the authorization server: discovery, token, public keys.</summary>
public static class SmartEndpoints
{
    public static IEndpointRouteBuilder MapSmart(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fhir/.well-known/smart-configuration", SmartConfiguration.Handle).WithName("smart-configuration").AllowAnonymous();
        app.MapPost(TokenEndpoint.Path, TokenEndpoint.Handle).WithName("token").AllowAnonymous().DisableAntiforgery().RequireRateLimiting(Access.ClientRateLimiting.Policy);
        app.MapGet("/auth/jwks", (SigningKeys keys) => Results.Json(keys.PublicJwks())).WithName("jwks").AllowAnonymous();
        return app;
    }
}
