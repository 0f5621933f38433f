using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Api.Tests.Smart;

/// <summary>Bearer tokens on /fhir: missing, expired or forged is 401; a token without the interaction's scope is 403.</summary>
public sealed class AccessTokenTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task No_token_is_401_with_an_outcome_saying_where_to_get_one()
    {
        using var anonymous = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await anonymous.GetAsync("Patient?family=x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.Login, (await response.ReadOutcomeAsync()).Issue[0].Code);
    }

    [Fact]
    public async Task Metadata_and_discovery_need_no_token()
    {
        using var anonymous = new HttpClient { BaseAddress = gateway.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("metadata")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(".well-known/smart-configuration")).StatusCode);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("expired")]
    [InlineData("garbage")]
    public async Task A_forged_expired_or_garbled_token_is_401(string kind)
    {
        var token = kind switch
        {
            "forged" => Mint(TestPartners.StrangerKey(), SecurityAlgorithms.EcdsaSha384, DateTimeOffset.UtcNow.AddMinutes(5)),
            "expired" => Mint(await GatewaySigningKey(), SecurityAlgorithms.EcdsaSha256, DateTimeOffset.UtcNow.AddMinutes(-5)),
            _ => "not.a.token",
        };
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var response = await client.GetAsync("Patient?family=x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401_saying_when_it_expired_in_iso_8601()
    {
        var expired = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Mint(await GatewaySigningKey(), SecurityAlgorithms.EcdsaSha256, expired));

        using var response = await client.GetAsync("Patient?family=x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("The access token expired at 2026-03-04T05:06:07Z;", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Contains("error_description=\"The access token expired at 2026-03-04T05:06:07Z;", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401_naming_the_audience_expected()
    {
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            Mint(await GatewaySigningKey(), SecurityAlgorithms.EcdsaSha256, DateTimeOffset.UtcNow.AddMinutes(2), audience: "https://elsewhere.example/fhir"));

        using var response = await client.GetAsync("Patient?family=x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The access token's aud is 'https://elsewhere.example/fhir'; this gateway expects 'urn:interop-gateway:api' (the tokens its token endpoint issues).",
            (await response.ReadOutcomeAsync()).Issue[0].Diagnostics);
    }

    [Fact]
    public async Task A_token_signed_by_the_gateway_and_still_valid_is_accepted()
    {
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Mint(await GatewaySigningKey(), SecurityAlgorithms.EcdsaSha256, DateTimeOffset.UtcNow.AddMinutes(2)));

        using var response = await client.GetAsync("Patient?family=x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_token_sent_again_is_accepted_again_and_a_client_no_longer_listed_is_refused_every_time()
    {
        // Validated tokens are remembered (ValidatedTokenCache); who the client is, is still checked per request.
        using var listed = new HttpClient { BaseAddress = gateway.BaseAddress };
        listed.DefaultRequestHeaders.Authorization = new("Bearer", Mint(await GatewaySigningKey(), SecurityAlgorithms.EcdsaSha256, DateTimeOffset.UtcNow.AddMinutes(2)));
        using var unlisted = new HttpClient { BaseAddress = gateway.BaseAddress };
        unlisted.DefaultRequestHeaders.Authorization = new("Bearer",
            Mint(await GatewaySigningKey(), SecurityAlgorithms.EcdsaSha256, DateTimeOffset.UtcNow.AddMinutes(2), clientId: "no-longer-listed-client"));

        foreach (var _ in Enumerable.Range(0, 3))
        {
            using var accepted = await listed.GetAsync("Patient?family=x");
            using var refused = await unlisted.GetAsync("Patient?family=x");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public async Task A_token_without_the_scope_of_the_interaction_is_403_naming_the_scope()
    {
        using var readOnly = await gateway.CreateClientAsync(TestPartners.Limited, "system/Patient.r");

        using var search = await readOnly.GetAsync("Patient?family=x");
        using var create = await readOnly.PostAsync("Patient", Resources.Patient());
        using var otherType = await readOnly.GetAsync("Task/123");

        Assert.Equal(HttpStatusCode.Forbidden, search.StatusCode);
        Assert.Contains("system/Patient.s", (await search.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherType.StatusCode);
    }

    [Fact]
    public async Task A_transaction_entry_beyond_the_tokens_scopes_makes_the_whole_bundle_403()
    {
        using var readOnly = await gateway.CreateClientAsync(TestPartners.Limited, "system/Patient.r");
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry = [new() { Resource = Resources.Patient(), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } }],
        };
        var before = await gateway.CountResourcesAsync();

        using var response = await readOnly.PostAsync("", bundle);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("system/Patient.c", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    private static string Mint(SecurityKey key, string algorithm, DateTimeOffset expires, string audience = "urn:interop-gateway:api", string clientId = TestPartners.Gp + "-client") =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "urn:interop-gateway",
            Audience = audience,
            IssuedAt = expires.AddMinutes(-5).UtcDateTime,
            NotBefore = expires.AddMinutes(-5).UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object> { ["client_id"] = clientId, ["partner"] = TestPartners.Gp, ["scope"] = "system/*.cruds" },
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    // The test reads the gateway's own key from its database, to mint a token that differs only in being expired.
    private async Task<SecurityKey> GatewaySigningKey()
    {
        await using var command = gateway.Database.CreateCommand("select private_jwk::text from signing_key order by created_at desc limit 1");
        return new JsonWebKey((string)(await command.ExecuteScalarAsync())!);
    }
}
