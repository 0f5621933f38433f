namespace Gateway.Mapping;

/// <summary>The implementation guide's canonical URLs and the identifier systems records use (profiles/).</summary>
public static class Canonicals
{
    public const string Base = "https://interop-gateway.example/fhir";

    public const string TaskStatus = "http://hl7.org/fhir/task-status";
    public const string ReferralBusinessStatus = Base + "/CodeSystem/referral-business-status";
    public const string TaskOutputType = Base + "/CodeSystem/task-output-type";
    public const string SocialPrescribingActivity = Base + "/CodeSystem/social-prescribing-activity";
    public const string SocialPrescribingReason = Base + "/CodeSystem/social-prescribing-reason";
    public const string ReferralService = Base + "/CodeSystem/referral-service";
    public const string ReferralCategory = Base + "/CodeSystem/referral-category";
    public const string HousingCaseStatus = Base + "/CodeSystem/housing-case-status";
    public const string WorStatus = Base + "/CodeSystem/wor-status";

    public const string Ons4Questionnaire = Base + "/Questionnaire/ons4";
    public const string PositiveHealthQuestionnaire = Base + "/Questionnaire/positive-health";

    /// <summary>Identifies a partner by its id in the partners file; see <see cref="Placeholders.Partner"/>.</summary>
    public const string PartnerId = Base + "/partner-id";

    public const string NhsNumber = "https://fhir.nhs.uk/Id/nhs-number";
    public const string OdsOrganizationCode = "https://fhir.nhs.uk/Id/ods-organization-code";
    public const string AgbCode = "http://fhir.nl/fhir/NamingSystem/agb-z";
}
