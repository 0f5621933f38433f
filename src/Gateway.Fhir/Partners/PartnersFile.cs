using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Fhir.Partners;

/// <summary>
/// The partners file (<c>Gateway:PartnersFile</c>, SPEC §9): partner organisations, their API
/// clients and keys, routing rules, the operators who log into the console and the commissioners' people who
/// log into its outcomes page. The shape of
/// ../shared/samples/partners.json.
/// </summary>
public sealed record PartnersFile(
    IReadOnlyList<Partner> Partners,
    IReadOnlyList<RoutingRule>? Routing,
    IReadOnlyList<OperatorLogin>? Operators,
    IReadOnlyList<CommissionerLogin>? CommissionerLogins = null);

public sealed record Partner(
    string Id,
    string Kind,
    string Name,
    IReadOnlyList<PartnerIdentifier>? Identifiers,
    IReadOnlyList<ApiClient>? Clients,
    string? RecordFormat = null,
    PullSettings? Pull = null,
    string? DropFolder = null,
    SlaSettings? Sla = null,
    WebhookSettings? ReferralWebhook = null,
    string? FhirEndpoint = null,
    string? FhirEndpointTokenEnv = null,
    DirectorySourceSettings? DirectorySource = null,
    CommissionerArea? Area = null,
    IReadOnlyList<string>? Programmes = null);

public sealed record PartnerIdentifier(string System, string Value);

/// <summary>An API client: its keys (a JWKS inline, or a URL the gateway fetches) and the scopes it may be granted.</summary>
public sealed record ApiClient(string ClientId, JsonElement? Jwks, string? JwksUrl, string Scopes);

public sealed record PullSettings(string Url, string Schedule);

/// <summary>The partner's Open Referral UK / HSDS 3 API (its <c>/services</c> URL), pulled page by page on the schedule (SPEC §11).</summary>
public sealed record DirectorySourceSettings(string Url, string Schedule);

/// <summary>ISO 8601 durations: accept a referral within, update at least every, measure again after.</summary>
public sealed record SlaSettings(string? AcceptWithin, string? UpdateEvery, string? RemeasureAfter);

public sealed record WebhookSettings(string Url, string? SigningSecretEnv);

/// <summary>
/// When the conditions hold: the referral goes to <paramref name="Performer"/>, or, with
/// <paramref name="ServiceCategory"/>, to the provider of the directory service of that category in
/// the rule's postcode areas that has capacity and the shortest expected wait (SPEC §11).
/// </summary>
public sealed record RoutingRule(RoutingCondition When, string? Performer, string? ServiceCategory = null);

public sealed record RoutingCondition(IReadOnlyList<string>? PostcodePrefixes, IReadOnlyList<string>? Codes);

public sealed record OperatorLogin(string User, string PasswordEnv);

/// <summary>A person of a commissioner who logs into the console's outcomes page only, seeing what <paramref name="Commissioner"/> (a partner of kind commissioner) may (SPEC §8, §10).</summary>
public sealed record CommissionerLogin(string User, string PasswordEnv, string Commissioner);

/// <summary>The partner kinds SPEC §1 and §8 know.</summary>
public static class PartnerKinds
{
    public const string GpPractice = "gp-practice";
    public const string HousingProvider = "housing-provider";
    public const string WelfareOrganisation = "welfare-organisation";
    public const string Operator = "operator";
    public const string Commissioner = "commissioner";

    /// <summary>A researcher (RIVM, TNO, a university): pseudonymised Bulk Data $export only, nothing person-level (SPEC §10).</summary>
    public const string Evaluator = "evaluator";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { GpPractice, HousingProvider, WelfareOrganisation, Operator, Evaluator, Commissioner };

    public static bool IsProvider(string kind) => kind is HousingProvider or WelfareOrganisation;
}

internal static class PartnersJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}
