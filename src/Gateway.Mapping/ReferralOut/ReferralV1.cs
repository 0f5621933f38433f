using System.Text.Json.Serialization;

namespace Gateway.Mapping.ReferralOut;

/// <summary>
/// referral/v1, what a partner that does not speak FHIR receives for a referral addressed to it
/// (../shared/samples/referral-out). Without the patient's consent only the numbers, the status and
/// the due date are filled: <see cref="Patient"/>, <see cref="Reason"/>, <see cref="Notes"/> and
/// <see cref="Consent"/> stay null and are left out.
/// </summary>
public sealed record ReferralV1(
    string ReferralNumber,
    string GatewayTaskId,
    string? GatewayReferralNumber,
    DateTimeOffset SentAt,
    string Status,
    string? BusinessStatus,
    ReferralParty From,
    ReferralParty To,
    ReferralService? Service,
    string? Reason,
    string? Notes,
    ReferralPatient? Patient,
    ReferralConsent? Consent,
    string? RespondBy,
    ReferralLinks Links,
    DirectoryReference? DirectoryService = null,
    IReadOnlyList<DirectoryReference>? ResultingActivities = null)
{
    [JsonPropertyOrder(-1)]
    public string Format { get; init; } = "referral/v1";
}

public sealed record ReferralParty(string Partner, string? Name = null, string? OdsCode = null, string? AgbCode = null);

public sealed record ReferralService(string? Code, string? System, string? Display);

/// <summary>A service of the gateway's directory (SPEC §11): the one the referral names, or an activity the patient took up.</summary>
public sealed record DirectoryReference(string Reference, string? Name);

/// <summary>The patient as the partner may see them: an NHS number, or for a welfare organisation the gateway's client number, never a BSN.</summary>
public sealed record ReferralPatient(
    string? NhsNumber,
    string? ClientNumber,
    string? GivenName,
    string? FamilyName,
    string? DateOfBirth,
    string? Phone,
    ReferralAddress? Address);

public sealed record ReferralAddress(IReadOnlyList<string> Line, string? City, string? Postcode);

public sealed record ReferralConsent(string Status, string SharingWith, string? ValidUntil);

public sealed record ReferralLinks(string Task, string Records);

/// <summary>A page of the referral feed: its referrals, and the URL of the next page (left out on the last).</summary>
public sealed record ReferralPage(IReadOnlyList<ReferralV1> Referrals, string? Next);

/// <summary>
/// How referral/v1 is written (camelCase, nulls left out), by a serializer generated at build
/// time: the feed writes a hundred referrals a page, and serializing them by reflection was about
/// a tenth of a page's gateway CPU (issue 18).
/// </summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReferralV1))]
[JsonSerializable(typeof(ReferralPage))]
public sealed partial class ReferralV1JsonContext : JsonSerializerContext;
