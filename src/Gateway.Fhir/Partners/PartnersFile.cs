using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Fhir.Partners;

/// <summary>
/// The partners file (<c>Gateway:PartnersFile</c>, SPEC §9): partner organisations, their API
/// clients and keys, routing rules and the operators who log into the console. The shape of
/// ../shared/samples/partners.json.
/// </summary>
public sealed record PartnersFile(
    IReadOnlyList<Partner> Partners,
    IReadOnlyList<RoutingRule>? Routing,
    IReadOnlyList<OperatorLogin>? Operators);

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
    CommissionerArea? Area = null,
    IReadOnlyList<string>? Programmes = null);

public sealed record PartnerIdentifier(string System, string Value);

/// <summary>An API client: its keys (a JWKS inline, or a URL the gateway fetches) and the scopes it may be granted.</summary>
public sealed record ApiClient(string ClientId, JsonElement? Jwks, string? JwksUrl, string Scopes);

public sealed record PullSettings(string Url, string Schedule);

/// <summary>ISO 8601 durations: accept a referral within, update at least every, measure again after.</summary>
public sealed record SlaSettings(string? AcceptWithin, string? UpdateEvery, string? RemeasureAfter);

public sealed record WebhookSettings(string Url, string? SigningSecretEnv);

public sealed record RoutingRule(RoutingCondition When, string Performer);

public sealed record RoutingCondition(IReadOnlyList<string>? PostcodePrefixes, IReadOnlyList<string>? Codes);

public sealed record OperatorLogin(string User, string PasswordEnv);

/// <summary>The partner kinds SPEC §1 and §8 know.</summary>
public static class PartnerKinds
{
    public const string GpPractice = "gp-practice";
    public const string HousingProvider = "housing-provider";
    public const string WelfareOrganisation = "welfare-organisation";
    public const string Operator = "operator";
    public const string Commissioner = "commissioner";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { GpPractice, HousingProvider, WelfareOrganisation, Operator, Commissioner };

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
