using Gateway.Mapping.HousingCase;
using Gateway.Mapping.Json;

namespace Gateway.Mapping.HousingReferral;

/// <summary>
/// housing-referral/v1: a housing provider refers a tenant towards health (SPEC §6). Without the
/// tenant's consent to share with the GP the record is rejected and nothing is created.
/// </summary>
public static class HousingReferralMapper
{
    public const string Format = "housing-referral/v1";

    // housing-referral/v1 code -> social-prescribing-reason code.
    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["housing_condition_affecting_health"] = "housing-condition-affecting-health",
        ["wellbeing_concern"] = "wellbeing-concern",
        ["social_isolation"] = "social-isolation",
        ["financial_hardship"] = "financial-hardship",
        ["other"] = "other",
    };

    // housing-referral/v1 code -> referral-service code.
    private static readonly Dictionary<string, string> Services = new(StringComparer.Ordinal)
    {
        ["gp_review"] = "gp-review",
        ["social_prescribing"] = "social-prescribing",
        ["health_check"] = "health-check",
        ["mental_health_support"] = "mental-health-support",
    };

    public static MappingResult<HousingReferral> Map(string json, DateTimeOffset receivedAt)
    {
        var issues = new List<RecordIssue>();
        var record = RecordJson.Open(json, Format, issues, out var document);
        using (document)
        {
            if (record is null)
            {
                return MappingResult.Rejected<HousingReferral>(issues);
            }

            var messageId = record.String("messageId", required: true);
            var provider = record.String("provider", required: true);
            var referralRef = record.String("referralRef", required: true);
            var tenant = HousingTenant.Read(record, receivedAt, isReferral: true);
            var gp = RegisteredGp.Read(record);
            var reason = Code(record, "reason", Reasons);
            var reasonText = record.String("reasonText", required: false);
            var service = Code(record, "requestedService", Services);
            ReadRaisedBy(record);
            var raisedText = record.String("raisedAt", required: true);
            var raisedAt = raisedText is null ? null : RecordValues.Instant(raisedText, "$.raisedAt", receivedAt, issues);
            var consent = ReadConsent(record, receivedAt);
            record.RejectUnknownFields();

            return MappingResult.From(issues, () =>
            {
                var patientUrl = Placeholders.NewResource(messageId!, "Patient");
                var consentUrl = Placeholders.NewResource(messageId!, "Consent");
                var requestUrl = Placeholders.NewResource(messageId!, "ServiceRequest");
                return new HousingReferral(
                    messageId!,
                    referralRef!,
                    new(patientUrl, HousingReferralResources.Patient(tenant!)),
                    new(consentUrl, HousingReferralResources.Consent(patientUrl, provider!, consent!.Value.GivenBy, consent.Value.RecordedAt, gp)),
                    new(requestUrl, HousingReferralResources.ServiceRequest(provider!, referralRef!, patientUrl, consentUrl, service!, reason!, reasonText, raisedAt!.Value, gp)));
            });
        }
    }

    private static string? Code(JsonObjectReader record, string name, Dictionary<string, string> codes)
    {
        var code = record.String(name, required: true);
        if (code is null)
        {
            return null;
        }

        if (codes.TryGetValue(code, out var mapped))
        {
            return mapped;
        }

        record.Issues.Add(new(RecordIssueCode.InvalidValue, record.PathOf(name), $"'{code}' is not a {name} of {Format}; expected one of {string.Join(", ", codes.Keys)}."));
        return null;
    }

    private static void ReadRaisedBy(JsonObjectReader record)
    {
        if (record.Object("raisedBy", required: false) is { } raisedBy)
        {
            raisedBy.String("staffId", required: true);
            raisedBy.String("role", required: false);
            raisedBy.RejectUnknownFields();
        }
    }

    private static (string GivenBy, DateTimeOffset RecordedAt)? ReadConsent(JsonObjectReader record, DateTimeOffset receivedAt)
    {
        if (record.Object("consent", required: false) is not { } consent)
        {
            record.Issues.Add(new(RecordIssueCode.Required, "$.consent", "The tenant's consent to share with the GP is missing; without it the referral is refused. Record who gave consent, when, and scope share_with_gp."));
            return null;
        }

        var givenBy = consent.String("givenBy", required: true);
        var recordedText = consent.String("recordedAt", required: true);
        var recordedAt = recordedText is null ? null : RecordValues.Instant(recordedText, consent.PathOf("recordedAt"), receivedAt, consent.Issues);
        var scope = consent.String("scope", required: true);
        consent.RejectUnknownFields();
        if (scope is not null && scope != "share_with_gp")
        {
            consent.Issues.Add(new(RecordIssueCode.InvalidValue, consent.PathOf("scope"), $"'{scope}' is not a consent scope of {Format}; expected share_with_gp."));
            return null;
        }

        return givenBy is null || recordedAt is null ? null : (givenBy, recordedAt.Value);
    }
}
