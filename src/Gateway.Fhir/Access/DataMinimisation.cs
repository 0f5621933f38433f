using System.Security.Cryptography;
using System.Text;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Partners;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Access;

/// <summary>
/// What a partner receives is the least it needs (SPEC §8), applied to every resource the
/// gateway sends a partner, at any depth, beside <see cref="PartnerVisibility"/>: Dutch law does
/// not let a welfare organisation process the BSN, so its clients get the gateway's pseudonymous
/// client number in its place, and may not search by BSN either (see also TokenSql).
/// </summary>
public static class DataMinimisation
{
    public const string BsnSystem = BsnSystems.Uri;
    public const string ClientNumberSystem = "https://interop-gateway.example/fhir/NamingSystem/client-number";

    /// <summary>The resource as <paramref name="caller"/> may receive it: the same instance when nothing needs removing, otherwise a changed copy.</summary>
    public static Resource ForPartner(Resource resource, CallingPartner? caller)
    {
        if (!HidesBsn(caller) || !BsnMasking.Holds(resource))
        {
            return resource;
        }

        var copy = (Resource)resource.DeepCopy();
        BsnMasking.Mask(copy);
        return copy;
    }

    /// <summary>Whether <see cref="ForPartner"/> may change this stored JSON for <paramref name="caller"/>; if not, it can go out as it is.</summary>
    public static bool MayChange(string storedJson, CallingPartner? caller) =>
        HidesBsn(caller) && BsnSystems.MayMention(storedJson);

    /// <summary><see cref="MayChange(string, CallingPartner?)"/> of a version read from the store: its UTF-8 is made text only for a caller something is hidden from.</summary>
    public static bool MayChange(Storage.StoredResource stored, CallingPartner? caller) =>
        HidesBsn(caller) && stored.Json is { } json && BsnSystems.MayMention(json);

    /// <summary>Whether <paramref name="caller"/> may neither receive nor search by a BSN.</summary>
    public static bool HidesBsn(CallingPartner? caller) => caller?.Kind == PartnerKinds.WelfareOrganisation;

    /// <summary>
    /// Refuses a search naming a BSN system from a welfare organisation. A BSN searched without
    /// its system is not refused (that would confirm it looks like one): it matches nothing (TokenSql).
    /// </summary>
    public static void CheckSearch(CallingPartner? caller, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        if (HidesBsn(caller) && parameters.FirstOrDefault(p => BsnSystems.MayMention(p.Value)) is { Key: not null } bsn)
        {
            throw new FhirException(403, OperationOutcome.IssueType.Forbidden,
                $"A welfare organisation may not search by BSN; use the client number ({ClientNumberSystem}) or the referral's identifier.", bsn.Key);
        }
    }

    /// <summary>The pseudonymous client number of a patient: stable, and telling nothing about the person.</summary>
    public static string ClientNumber(string? patientId) =>
        "C" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("client-number:" + patientId)))[..10];
}
