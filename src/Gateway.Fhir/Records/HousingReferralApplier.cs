using Gateway.Fhir.Bundles;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Validation.Profiles;
using Gateway.Mapping;
using Gateway.Mapping.HousingReferral;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Records;

/// <summary>
/// Stores what a housing-referral/v1 record creates (SPEC §6): the tenant as Patient (the known
/// Patient when the gateway knows the NHS number and birth date), the Consent the record carries,
/// and the ServiceRequest from the housing organisation, in one transaction. The workflow then
/// routes the ServiceRequest to the registered GP practice like any referral.
/// </summary>
public static class HousingReferralApplier
{
    public static async Task<AppliedRecord> ApplyAsync(ResourceWriter writer, HousingReferral referral, PartnerDirectory partners, ProfileValidator validator, CancellationToken ct)
    {
        var produced = new List<string>();
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        var patient = referral.Patient.Resource;
        var patientId = await writer.CreateMatchAsync(patient, null, ct);
        if (patientId is null)
        {
            validator.EnsureValid(patient);
            var stored = await writer.CreateAsync(patient, ct);
            patientId = stored.Id;
            produced.Add(ReferralUpdateApplier.VersionReference(stored));
        }

        targets[referral.Patient.FullUrl] = $"Patient/{patientId}";
        foreach (var (fullUrl, resource) in new (string, Resource)[] { (referral.Consent.FullUrl, referral.Consent.Resource), (referral.ServiceRequest.FullUrl, referral.ServiceRequest.Resource) })
        {
            targets[fullUrl] = $"{resource.TypeName}/{ResourceWriter.NewId()}";
        }

        foreach (var (fullUrl, resource) in new (string, Resource)[] { (referral.Consent.FullUrl, referral.Consent.Resource), (referral.ServiceRequest.FullUrl, referral.ServiceRequest.Resource) })
        {
            ResolvePartners(resource, partners);
            UrnUuidReferences.Rewrite(resource, targets);
            validator.EnsureValid(resource);
            var stored = await writer.CreateAsync(resource, targets[fullUrl].Split('/')[1], ct);
            produced.Add(ReferralUpdateApplier.VersionReference(stored));
        }

        return new AppliedRecord(produced, null, null, null);
    }

    /// <summary>Logical references to partners (the mapping's partner placeholder, or an ODS or AGB code) made literal: <c>Organization/{partner id}</c>.</summary>
    private static void ResolvePartners(Resource resource, PartnerDirectory partners)
    {
        foreach (var (reference, _) in ResourceReferences.In(resource))
        {
            if (reference.Reference is null && reference.Identifier is { System: { } system, Value: { } value }
                && partners.Partners.FirstOrDefault(p => (system == Canonicals.PartnerId && p.Id == value) || p.Identifiers?.Any(i => i.System == system && i.Value == value) == true) is { } partner)
            {
                reference.Reference = $"Organization/{partner.Id}";
            }
        }
    }
}
