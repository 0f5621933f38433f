using System.Net;
using System.Text.Json;
using Gateway.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gateway.Api.Tests.Smart;

/// <summary>The SMART backend-services token endpoint with real signed client assertions (RFC 7523, RFC 6749 §5.2 errors).</summary>
public sealed class TokenEndpointTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly string _audience = gateway.TokenEndpoint.ToString();

    [Theory]
    [InlineData(TestPartners.Gp)]
    [InlineData(TestPartners.Housing)]
    public async Task A_valid_assertion_gets_a_short_lived_token_with_the_granted_scopes(string partner)
    {
        var (status, body) = await RequestToken(gateway.Partners.Assertion(partner + "-client", _audience), "system/Task.rs system/Patient.r");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("system/Patient.r system/Task.rs", body.GetProperty("scope").GetString());
        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(partner, token.GetClaim("partner").Value);
        Assert.True(token.ValidTo <= DateTime.UtcNow.AddMinutes(6));
    }

    [Fact]
    public async Task Scopes_beyond_what_the_client_may_have_are_narrowed_away()
    {
        var (_, body) = await RequestToken(gateway.Partners.Assertion(TestPartners.Limited + "-client", _audience), "system/*.cruds system/Patient.rs");

        Assert.Equal("system/Patient.r", body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_request_for_nothing_the_client_may_have_is_invalid_scope()
    {
        var (status, body) = await RequestToken(gateway.Partners.Assertion(TestPartners.Limited + "-client", _audience), "system/Task.c");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());
    }

    public static TheoryData<string, string> RefusedAssertions => new()
    {
        { "wrong key", "signature" },
        { "expired", "expired" },
        { "future iat", "iat" },
        { "future nbf", "nbf" },
        { "wrong aud", "aud" },
        { "too long", "five minutes" },
        { "unknown client", "not a registered client" },
        { "not a jwt", "not a JWT" },
    };

    [Theory]
    [MemberData(nameof(RefusedAssertions))]
    public async Task A_bad_assertion_is_invalid_client_saying_why(string problem, string explanation)
    {
        var client = TestPartners.Gp + "-client";
        var partners = gateway.Partners;
        var assertion = problem switch
        {
            "wrong key" => partners.Assertion(client, _audience, signWith: TestPartners.StrangerKey()),
            "expired" => partners.Assertion(client, _audience, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-10), lifetime: TimeSpan.FromMinutes(4)),
            "future iat" => partners.Assertion(client, _audience, issuedAt: DateTimeOffset.UtcNow.AddMinutes(3), lifetime: TimeSpan.FromMinutes(1)),
            "future nbf" => partners.Assertion(client, _audience, notBefore: DateTimeOffset.UtcNow.AddMinutes(3)),
            "wrong aud" => partners.Assertion(client, "https://elsewhere.example/token"),
            "too long" => partners.Assertion(client, _audience, lifetime: TimeSpan.FromHours(1)),
            "unknown client" => partners.Assertion(client, _audience, issuer: "nobody"),
            _ => "not-a-jwt",
        };

        var (status, body) = await RequestToken(assertion, "system/Task.rs");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Contains(explanation, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assertion_for_another_audience_is_refused_naming_the_token_endpoint_to_put_in_aud()
    {
        var (status, body) = await RequestToken(gateway.Partners.Assertion(TestPartners.Gp + "-client", "https://elsewhere.example/token"), "system/Task.rs");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal($"The assertion's aud is 'https://elsewhere.example/token', not this token endpoint's URL: put '{_audience}' in aud.",
            body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task A_replayed_assertion_is_refused()
    {
        var assertion = gateway.Partners.Assertion(TestPartners.Gp + "-client", _audience);

        var (first, _) = await RequestToken(assertion, "system/Task.rs");
        var (second, body) = await RequestToken(assertion, "system/Task.rs");

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.Unauthorized, second);
        Assert.Contains("already used", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_grant_type_is_unsupported_grant_type()
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.PostAsync(gateway.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Smart_configuration_names_the_token_endpoint_and_algorithms()
    {
        using var anonymous = new HttpClient();
        var body = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri(gateway.BaseAddress, ".well-known/smart-configuration"))).RootElement;

        Assert.Equal(_audience, body.GetProperty("token_endpoint").GetString());
        Assert.Contains("ES384", body.GetProperty("token_endpoint_auth_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("client_credentials", body.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> RequestToken(string assertion, string scope)
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.PostAsync(gateway.TokenEndpoint, TestPartners.TokenRequest(assertion, scope));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
