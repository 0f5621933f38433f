using Gateway.Fhir.Access;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// SPEC §5 patient matching: a new Patient with an NHS number or BSN and birth date the gateway
/// knows is the Patient it knows, so one person has one referral history; but only one the caller
/// may already see (SPEC §8, matching never reveals). Otherwise the caller gets its own new
/// Patient, with the same status as any create, and <see cref="PatientIdentityLinks"/> keeps the
/// link for operators. The same identifier with another birth date is never merged.
/// </summary>
public static class PatientMatching
{
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
    public const string LinkReasonSystem = GatewayGuide.CanonicalBase + "/CodeSystem/patient-match";
    public const string ConflictCode = "identity-conflict";
    public const string SamePersonCode = "same-person";

    /// <param name="candidate">The Patient an If-None-Exist matched (as the caller sees the store), if any: it is reused only if the birth dates agree too.</param>
    /// <returns>The id of the Patient to answer with, or null when a new one is created.</returns>
    public static async Task<string?> MatchAsync(ResourceWriter writer, Patient incoming, string? candidate, CancellationToken ct)
    {
        var candidates = candidate is null ? new List<string>() : [candidate];
        if (IdentifierQuery(incoming) is { } query)
        {
            // Serializes racing first referrals of one person, so they cannot both create.
            // As the caller: what it may not see is no match. Only as the caller, so how long the
            // answer takes does not depend on whether someone else knows this person.
            candidates.AddRange(await writer.LockAndFindIdsAsync(LockKey(query), SearchQuery.Parse("Patient", query), 20, ct));
        }

        foreach (var id in candidates.Distinct(StringComparer.Ordinal))
        {
            if ((await writer.AsGateway().ReadCurrentAsync("Patient", id, ct))?.Resource is Patient known && SameBirthDate(incoming, known))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The <c>identifier=</c> search for the NHS numbers and BSNs of <paramref name="patient"/>, or null without any.</summary>
    internal static string? IdentifierQuery(Patient patient)
    {
        var identifiers = patient.Identifier
            .Where(i => (i.System == NhsNumberSystem || BsnSystems.IsBsn(i.System)) && !string.IsNullOrWhiteSpace(i.Value))
            .Select(i => $"{i.System}|{i.Value}")
            .Order(StringComparer.Ordinal).ToList();
        return identifiers.Count == 0 ? null : "identifier=" + string.Join(",", identifiers);
    }

    internal static string LockKey(string identifierQuery) => "patient-match|" + identifierQuery;

    internal static bool SameBirthDate(Patient one, Patient other) =>
        one.BirthDate is null || other.BirthDate is null || one.BirthDate == other.BirthDate;
}
