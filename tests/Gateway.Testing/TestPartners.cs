using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Testing;

/// <summary>
/// A partners file for tests, with key pairs generated for this run: two GP practices, a housing
/// provider, a welfare organisation, an operator, a GP client with narrow scopes and two evaluators. Tests sign
/// real client assertions with the private keys kept here.
/// </summary>
public sealed class TestPartners
{
    public const string Gp = "test-gp";
    public const string OtherGp = "test-gp-2";
    public const string Housing = "test-housing";
    public const string Welfare = "test-welfare";
    public const string Operator = "test-ops";
    public const string Limited = "test-limited";
    public const string KeysByUrl = "test-url";

    /// <summary>Two evaluators (SPEC §10): Bulk Data $export only, each with pseudonyms of its own.</summary>
    public const string Evaluator = "test-evaluator";
    public const string OtherEvaluator = "test-evaluator-2";

    /// <summary>An integrated care board commissioning social prescribing in WS2 (SPEC §8, §10): reads aggregates only.</summary>
    public const string Commissioner = "test-icb";

    /// <summary>A Dutch municipality commissioning Kampen (postcodes 8261, municipality GM0166), every programme.</summary>
    public const string Municipality = "test-gemeente";

    /// <summary>The operator login of the jobs dashboard, its password in an environment variable as the partners file says.</summary>
    public const string OperatorUser = "test-operator";
    public const string OperatorPasswordEnv = "GATEWAY_TEST_OPERATOR_PASSWORD";
    public const string OperatorPassword = "correct horse battery staple";

    /// <summary>A login of the test ICB's people to the console's outcomes page (partners file <c>commissionerLogins</c>).</summary>
    public const string CommissionerUser = "test-icb-analyst";
    public const string CommissionerPasswordEnv = "GATEWAY_TEST_COMMISSIONER_PASSWORD";
    public const string CommissionerPassword = "aggregate figures only";

    /// <summary>A Dutch GP practice, known by the AGB code the wor-export sample's rows name (01234567).</summary>
    public const string DutchGp = "test-gp-nl";
    public const string DutchGpAgb = "01234567";

    private readonly Dictionary<string, SecurityKey> _privateKeys = [];

    /// <summary>A cron that does not come round during a test run: sync tests trigger their recurring jobs themselves.</summary>
    public const string Never = "0 0 1 1 *";

    /// <param name="jwksUrl">Where the keys of the <see cref="KeysByUrl"/> partner's client are published; without it that partner is left out.</param>
    /// <param name="housingPull">The export URL the housing provider's records are pulled from (on <see cref="Never"/>); none without it.</param>
    /// <param name="welfareDropFolder">The welfare organisation's drop folder; none without it.</param>
    /// <param name="housingWebhook">Where the housing provider receives its referrals as referral/v1, and the environment variable of its signing secret; without it, nowhere.</param>
    /// <param name="housingFhir">The housing provider's own FHIR server, and the environment variable of its bearer token; without it, none.</param>
    /// <param name="routing">Routing rules tried before the postcode rules (e.g. a directory rule with a serviceCategory).</param>
    /// <param name="housingDirectory">The housing provider's Open Referral UK API (its /services URL), pulled on <see cref="Never"/>; none without it.</param>
    public TestPartners(Uri? jwksUrl = null, Uri? housingPull = null, string? welfareDropFolder = null, (Uri Url, string SecretEnv)? housingWebhook = null,
        (Uri Url, string? TokenEnv)? housingFhir = null, IEnumerable<object>? routing = null, Uri? housingDirectory = null)
    {
        var partners = new List<object>
        {
            Partner(Gp, "gp-practice", "Test GP practice", "M85001", Client(Gp + "-client", "system/*.cruds", rsa: false)),
            Partner(OtherGp, "gp-practice", "Other GP practice", "M85002", Client(OtherGp + "-client", "system/*.cruds", rsa: false)),
            Partner(Housing, "housing-provider", "Test housing association", "HFX09", Client(Housing + "-client", "system/*.cruds gateway/records.write", rsa: true),
                pull: housingPull is null ? null : new { url = housingPull.ToString(), schedule = Never },
                referralWebhook: housingWebhook is { } webhook ? new { url = webhook.Url.ToString(), signingSecretEnv = webhook.SecretEnv } : null,
                fhirEndpoint: housingFhir?.Url.ToString().TrimEnd('/'), fhirEndpointTokenEnv: housingFhir?.TokenEnv,
                directorySource: housingDirectory is null ? null : new { url = housingDirectory.ToString(), schedule = Never }),
            Partner(Welfare, "welfare-organisation", "Test welfare organisation", "90000999", Client(Welfare + "-client", "system/*.cruds gateway/records.write", rsa: false),
                dropFolder: welfareDropFolder),
            Partner(Operator, "operator", "Test operations", null, Client(Operator + "-client", "system/AuditEvent.rs system/Provenance.rs system/Organization.rs system/Task.rus system/MeasureReport.rs", rsa: false)),
            Partner(Limited, "gp-practice", "Read-only GP practice", "M85003", Client(Limited + "-client", "system/Patient.r", rsa: false)),
            Partner(DutchGp, "gp-practice", "Test Dutch GP practice", DutchGpAgb, Client(DutchGp + "-client", "system/*.cruds", rsa: false), "http://fhir.nl/fhir/NamingSystem/agb-z"),
            Partner(Evaluator, "evaluator", "Test evaluator", null, Client(Evaluator + "-client", "system/*.rs", rsa: false)),
            Partner(OtherEvaluator, "evaluator", "Other test evaluator", null, Client(OtherEvaluator + "-client", "system/*.rs", rsa: false)),

            // Commissioners may hold wide read scopes: the access model, not the token, keeps everything person-level from them (404).
            new
            {
                id = Commissioner, kind = "commissioner", name = "Test integrated care board", clients = new[] { Client(Commissioner + "-client", "system/*.rs system/Subscription.cruds", rsa: false) },
                area = new { postcodePrefixes = new List<string> { "WS2" } }, programmes = new List<string> { "social-prescribing" },
            },
            new
            {
                id = Municipality, kind = "commissioner", name = "Test gemeente Kampen", clients = new[] { Client(Municipality + "-client", "system/MeasureReport.rs system/Measure.rs", rsa: false) },
                area = new { postcodePrefixes = new List<string> { "8261" }, municipalityCodes = new List<string> { "GM0166" } },
            },
        };
        if (jwksUrl is not null)
        {
            PublishedJwks = JsonSerializer.Serialize(NewKey(KeysByUrl + "-client", rsa: false));
            partners.Add(Partner(KeysByUrl, "gp-practice", "GP practice publishing its keys", "M85004",
                new { clientId = KeysByUrl + "-client", jwksUrl = jwksUrl.ToString(), scopes = "system/Patient.rs" }));
        }

        // Walsall (UK) to the housing provider, Kampen (NL) to the welfare organisation, as in ../shared/samples/partners.json.
        var postcodeRules = new object[]
        {
            new { when = new { postcodePrefixes = new[] { "WS1", "WS2", "WS3" } }, performer = Housing },
            new { when = new { postcodePrefixes = new[] { "8261", "8262" } }, performer = Welfare },
        };
        var rules = (routing ?? []).Concat(postcodeRules).ToList();
        var operators = new[] { new { user = OperatorUser, passwordEnv = OperatorPasswordEnv } };
        Environment.SetEnvironmentVariable(OperatorPasswordEnv, OperatorPassword);
        var commissionerLogins = new[] { new { user = CommissionerUser, passwordEnv = CommissionerPasswordEnv, commissioner = Commissioner } };
        Environment.SetEnvironmentVariable(CommissionerPasswordEnv, CommissionerPassword);
        Json = JsonSerializer.Serialize(new { partners, routing = rules, operators, commissionerLogins });
    }

    /// <summary>The JWKS the <see cref="KeysByUrl"/> client publishes at its URL.</summary>
    public string? PublishedJwks { get; }

    /// <summary>The partners file's text.</summary>
    public string Json { get; }

    /// <summary>A client assertion for the client, signed with its private key; parts can be spoiled to test refusals.</summary>
    public string Assertion(string clientId, string audience, TimeSpan? lifetime = null, string? jti = null, DateTimeOffset? issuedAt = null, SecurityKey? signWith = null, string? issuer = null, DateTimeOffset? notBefore = null)
    {
        var key = signWith ?? _privateKeys[clientId];
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? clientId,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = notBefore?.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromMinutes(4))).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = issuer ?? clientId, ["jti"] = jti ?? Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(key, key is RsaSecurityKey ? SecurityAlgorithms.RsaSha384 : SecurityAlgorithms.EcdsaSha384),
        });
    }

    /// <summary>Asks the token endpoint for an access token with a freshly signed assertion; fails unless it is granted.</summary>
    public async Task<string> RequestTokenAsync(Uri tokenEndpoint, string clientId, string scope)
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.PostAsync(tokenEndpoint, TokenRequest(Assertion(clientId, tokenEndpoint.ToString()), scope));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The token request for {clientId} answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public static FormUrlEncodedContent TokenRequest(string assertion, string scope) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = assertion,
        ["scope"] = scope,
    });

    /// <summary>A key no client has registered.</summary>
    public static SecurityKey StrangerKey() => new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP384)) { KeyId = "stranger" };

    private object Client(string clientId, string scopes, bool rsa) => new { clientId, jwks = NewKey(clientId, rsa), scopes };

    // A new key pair for the client: the private half kept here, the public half returned as a JWKS.
    private object NewKey(string clientId, bool rsa)
    {
        SecurityKey key = rsa
            ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = clientId + "-key" }
            : new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP384)) { KeyId = clientId + "-key" };
        _privateKeys[clientId] = key;
        var jwk = key is RsaSecurityKey r ? JsonWebKeyConverter.ConvertFromRSASecurityKey(r) : JsonWebKeyConverter.ConvertFromECDsaSecurityKey((ECDsaSecurityKey)key);
        object publicKey = jwk.Kty == "RSA"
            ? new { kty = jwk.Kty, n = jwk.N, e = jwk.E, kid = jwk.Kid, alg = "RS384", use = "sig" }
            : new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, alg = "ES384", use = "sig" };
        return new { keys = new[] { publicKey } };
    }

    private static object Partner(string id, string kind, string name, string? code, object client, string system = "https://fhir.nhs.uk/Id/ods-organization-code", object? pull = null, string? dropFolder = null, object? referralWebhook = null,
        string? fhirEndpoint = null, string? fhirEndpointTokenEnv = null, object? directorySource = null) => new
    {
        id,
        kind,
        name,
        identifiers = code is null ? [] : new[] { new { system, value = code } },
        clients = new[] { client },
        sla = kind == "housing-provider" ? Sla : null,
        pull,
        dropFolder,
        referralWebhook,
        fhirEndpoint,
        fhirEndpointTokenEnv,
        directorySource,
    };

    /// <summary>The housing provider's SLA: accept within 5 days, update every 14, measure again after 84.</summary>
    private static readonly object Sla = new { acceptWithin = "P5D", updateEvery = "P14D", remeasureAfter = "P84D" };
}
