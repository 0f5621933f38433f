namespace Gateway.Api.Smart;

/// <summary>GET /fhir/.well-known/smart-configuration (SMART App Launch 2.0 "conformance/discovery") for backend services.</summary>
public static class SmartConfiguration
{
    private static readonly string[] GrantTypes = ["client_credentials"];
    private static readonly string[] AuthMethods = ["private_key_jwt"];
    private static readonly string[] SigningAlgorithms = ["RS384", "ES384"];
    private static readonly string[] Scopes = ["system/*.cruds", "system/*.rs", "system/Task.rus", "gateway/records.write"];
    private static readonly string[] Capabilities = ["client-confidential-asymmetric", "permission-v2", "permission-v1"];

    public static IResult Handle(HttpRequest request)
    {
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return Results.Json(new Dictionary<string, object>
        {
            ["token_endpoint"] = root + TokenEndpoint.Path,
            ["jwks_uri"] = root + "/auth/jwks",
            ["grant_types_supported"] = GrantTypes,
            ["token_endpoint_auth_methods_supported"] = AuthMethods,
            ["token_endpoint_auth_signing_alg_values_supported"] = SigningAlgorithms,
            ["scopes_supported"] = Scopes,
            ["capabilities"] = Capabilities,
        });
    }
}
