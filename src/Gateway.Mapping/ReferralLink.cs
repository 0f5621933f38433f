using Hl7.Fhir.Model;

namespace Gateway.Mapping;

/// <summary>
/// How a record names the referral it belongs to, and the facts that confirm the patient is the
/// referral's. The caller finds the referral by whichever link is set and checks the confirmation
/// against its Patient; the mapping only says what the record claims.
/// </summary>
/// <param name="GatewayTaskId">housing-case: the gateway's Task id, as given in referral/v1.</param>
/// <param name="ServiceRequestIdentifier">housing-case: the GP system's ServiceRequest.identifier.</param>
/// <param name="VerwijzingId">wor-export: the ServiceRequest.identifier value the GP system issued (system not given).</param>
/// <param name="ReferringPracticeAgb">wor-export: the AGB code of the referring practice.</param>
public sealed record ReferralLink(
    string? GatewayTaskId,
    Identifier? ServiceRequestIdentifier,
    string? VerwijzingId,
    string? ReferringPracticeAgb,
    PatientConfirmation Patient);

/// <summary>
/// Housing: NHS number and birth date. Welfare: surname and birth date, never a BSN (a Dutch welfare
/// organisation may not process it, SPEC §6).
/// </summary>
public sealed record PatientConfirmation(string? NhsNumber, string? FamilyName, DateOnly BirthDate, string? Postcode);
