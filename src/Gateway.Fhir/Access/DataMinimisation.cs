using System.Security.Cryptography;
using System.Text;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Partners;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Access;

/// <summary>
/// What a partner receives is the least it needs (SPEC §8), applied to every resource the
/// gateway sends a partner, beside <see cref="PartnerVisibility"/>: Dutch law does not let a
/// welfare organisation process the BSN, so its clients get the gateway's pseudonymous client
/// number in its place, and may not search by BSN either.
/// </summary>
public static class DataMinimisation
{
    public const string BsnSystem = "http://fhir.nl/fhir/NamingSystem/bsn";
    public const string ClientNumberSystem = "https://interop-gateway.example/fhir/NamingSystem/client-number";

    /// <summary>The resource as <paramref name="caller"/> may receive it: the same instance when nothing needs removing, otherwise a changed copy.</summary>
    public static Resource ForPartner(Resource resource, CallingPartner? caller)
    {
        if (!MayChange(resource.TypeName, caller))
        {
            return resource;
        }

        switch (resource)
        {
            case Bundle bundle when bundle.Entry.Any(e => e.Resource is not null && HasBsn(e.Resource)):
                var copy = (Bundle)bundle.DeepCopy();
                foreach (var entry in copy.Entry.Where(e => e.Resource is not null))
                {
                    entry.Resource = ForPartner(entry.Resource!, caller);
                }

                return copy;
            case Patient patient when HasBsn(patient):
                var pseudonymised = (Patient)patient.DeepCopy();
                pseudonymised.Identifier.RemoveAll(i => i.System == BsnSystem);
                pseudonymised.Identifier.Add(new Identifier(ClientNumberSystem, ClientNumber(patient.Id)));
                return pseudonymised;
            default:
                return resource;
        }
    }

    /// <summary>Whether <see cref="ForPartner"/> may change a resource of this type for <paramref name="caller"/>; if not, the stored JSON can go out as it is. <see cref="ForPartner"/> asks it first, so the two cannot disagree.</summary>
    public static bool MayChange(string resourceType, CallingPartner? caller) =>
        caller?.Kind == PartnerKinds.WelfareOrganisation && resourceType is "Patient" or "Bundle";

    /// <summary>Refuses a search by BSN from a welfare organisation (it would tell whether a BSN is known).</summary>
    public static void CheckSearch(CallingPartner? caller, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        if (caller?.Kind == PartnerKinds.WelfareOrganisation
            && parameters.FirstOrDefault(p => p.Value.Contains(BsnSystem, StringComparison.Ordinal)) is { Key: not null } bsn)
        {
            throw new FhirException(403, OperationOutcome.IssueType.Forbidden,
                $"A welfare organisation may not search by BSN; use the client number ({ClientNumberSystem}) or the referral's identifier.", bsn.Key);
        }
    }

    /// <summary>The pseudonymous client number of a patient: stable, and telling nothing about the person.</summary>
    public static string ClientNumber(string? patientId) =>
        "C" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("client-number:" + patientId)))[..10];

    private static bool HasBsn(Resource resource) =>
        resource is Patient patient && patient.Identifier.Any(i => i.System == BsnSystem);
}
