using System.Globalization;
using Gateway.Mapping.HousingCase;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.HousingReferral;

/// <summary>The FHIR resources of a housing-referral/v1 record, shaped after the IG's profiles and examples.</summary>
internal static class HousingReferralResources
{
    public static Patient Patient(HousingTenant tenant)
    {
        var patient = new Patient
        {
            Identifier = [new Identifier(Canonicals.NhsNumber, tenant.NhsNumber)],
            Name = [new HumanName { Family = tenant.FamilyName, Given = tenant.GivenName is null ? [] : [tenant.GivenName] }],
            BirthDate = tenant.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (tenant.Postcode is not null)
        {
            patient.Address = [new Address { PostalCode = tenant.Postcode, Country = "GB" }];
        }

        if (tenant.Phone is not null)
        {
            patient.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, tenant.Phone)];
        }

        return patient;
    }

    /// <param name="gp">The practice the tenant allows to receive the referral; null leaves provision.actor to the caller.</param>
    public static Consent Consent(string patientUrl, string provider, string givenBy, DateTimeOffset recordedAt, ResourceReference? gp) =>
        new()
        {
            Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
            Category = [new CodeableConcept("http://loinc.org", "59284-0", "Patient Consent")],
            Patient = new ResourceReference(patientUrl),
            DateTimeElement = new FhirDateTime(recordedAt),
            Performer = [new ResourceReference { Display = givenBy }],
            Organization = [Placeholders.Partner(provider)],
            PolicyRule = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"),
            Provision = new Consent.provisionComponent
            {
                Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
                Period = new Period { StartElement = new FhirDateTime(recordedAt) },
                Actor = gp is null
                    ? []
                    : [new Consent.provisionActorComponent
                    {
                        Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                        Reference = gp,
                    }],
                Action = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentaction", "disclose")],
            },
        };

    public static ServiceRequest ServiceRequest(
        string provider, string referralRef, string patientUrl, string consentUrl, string service, string reason,
        string? reasonText, DateTimeOffset raisedAt, ResourceReference? gp) =>
        new()
        {
            Identifier = [new Identifier(ReferralRefSystem(provider), referralRef)],
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Category = [new CodeableConcept("http://snomed.info/sct", "306206005", "Referral to service")],
            Code = new CodeableConcept(Canonicals.ReferralService, service),
            Subject = new ResourceReference(patientUrl),
            AuthoredOnElement = new FhirDateTime(raisedAt),
            Requester = Placeholders.Partner(provider),
            Performer = gp is null ? [] : [gp],
            ReasonCode = [new CodeableConcept(Canonicals.SocialPrescribingReason, reason) { Text = reasonText }],
            SupportingInfo = [new ResourceReference(consentUrl)],
        };

    /// <summary>The identifier system of a partner's own referral references.</summary>
    public static string ReferralRefSystem(string provider) => $"{Canonicals.Base}/partner/{provider}/referral-ref";
}
