using Hl7.Fhir.Model;

namespace Gateway.Mapping.HousingReferral;

/// <summary>
/// What a housing-referral/v1 record creates: the tenant as Patient, their Consent to share with the
/// GP, and the social-prescription ServiceRequest from the housing organisation. The three reference
/// one another by their placeholder full URLs; the caller stores them in one transaction (the Patient
/// conditionally, by NHS number) and replaces the partner placeholder with the partner's Organization.
/// </summary>
public sealed record HousingReferral(
    string RecordKey,
    string ReferralRef,
    NewResource<Patient> Patient,
    NewResource<Consent> Consent,
    NewResource<ServiceRequest> ServiceRequest);

/// <summary>A resource to create, with its placeholder full URL (<see cref="Placeholders.NewResource"/>).</summary>
public sealed record NewResource<T>(string FullUrl, T Resource)
    where T : Resource;
