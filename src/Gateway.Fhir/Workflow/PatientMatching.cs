using Gateway.Fhir.Access;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// SPEC §5 patient matching: a new Patient with an NHS number or BSN the gateway knows is the
/// Patient it knows, whichever partner sent it first, so one person has one referral history.
/// The same identifier with another date of birth is never merged: the new Patient is stored
/// apart, tagged <c>identity-conflict</c> and linked (seealso) to the one it conflicts with,
/// for an operator to resolve (<c>Patient?_tag=…|identity-conflict</c>).
/// </summary>
public static class PatientMatching
{
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
    public const string TagSystem = GatewayGuide.CanonicalBase + "/CodeSystem/patient-match";
    public const string ConflictCode = "identity-conflict";

    /// <param name="candidate">The Patient an If-None-Exist matched, if any: it is reused only if the birth dates agree too.</param>
    /// <returns>The id of the Patient to answer with, or null when a new one is created (then possibly tagged and linked).</returns>
    public static async Task<string?> MatchAsync(ResourceWriter writer, Patient incoming, string? candidate, CancellationToken ct)
    {
        var identifiers = incoming.Identifier
            .Where(i => i.System is NhsNumberSystem or DataMinimisation.BsnSystem && !string.IsNullOrWhiteSpace(i.Value))
            .Select(i => $"{i.System}|{i.Value}").ToList();
        var gateway = writer.AsGateway();
        var candidates = candidate is null ? new List<string>() : [candidate];
        if (identifiers.Count > 0)
        {
            // Serializes racing first referrals of one person, so they cannot both create.
            await gateway.LockAsync("patient-match|" + string.Join(",", identifiers.Order(StringComparer.Ordinal)), ct);
            candidates.AddRange(await gateway.FindIdsAsync(SearchQuery.Parse("Patient", "identifier=" + string.Join(",", identifiers)), 20, ct));
        }

        var conflicts = new List<string>();
        foreach (var id in candidates.Distinct(StringComparer.Ordinal))
        {
            if ((await gateway.ReadCurrentAsync("Patient", id, ct))?.Resource is not Patient known)
            {
                continue;
            }

            if (incoming.BirthDate is null || known.BirthDate is null || incoming.BirthDate == known.BirthDate)
            {
                return id;
            }

            conflicts.Add(id);
        }

        if (conflicts.Count > 0)
        {
            incoming.Meta ??= new Meta();
            incoming.Meta.Tag.Add(new Coding(TagSystem, ConflictCode, "Same identifier as another Patient, different birth date"));
            incoming.Link.AddRange(conflicts.Select(id => new Patient.LinkComponent { Other = new ResourceReference($"Patient/{id}"), Type = Patient.LinkType.Seealso }));
        }

        return null;
    }
}
