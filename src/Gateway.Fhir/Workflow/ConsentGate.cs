using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// SPEC §5: no personal data goes to a housing or welfare partner unless an active Consent of the
/// patient names it in provision.actor, within provision.period if it has one. One rule,
/// <c>consent_windows</c> in Access/Audience.sql: the audience applies it to what the partner may
/// read, the workflow here to whether a new Task is held for consent.
/// </summary>
public static class ConsentGate
{
    /// <summary>Whether the patient's consent lets <paramref name="partnerId"/> see them now, as this transaction sees the store.</summary>
    public static async Task<bool> PermitsAsync(ResourceWriter writer, string? patientReference, string partnerId, CancellationToken ct)
    {
        if (patientReference is null || !patientReference.StartsWith("Patient/", StringComparison.Ordinal))
        {
            return false;
        }

        await using var command = writer.Command();
        // consent_windows (Access/Audience.sql) keeps its plan: this runs twice in every referral.
        command.CommandText = $"""
            select exists (select 1 from consent_windows({command.Bind(patientReference["Patient/".Length..])}) c
                           where c.partner_id = {command.Bind(partnerId)} and c.valid_from <= now() and c.valid_until > now())
            """;
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>The partners an active, permitting Consent names as its actors.</summary>
    public static IEnumerable<string> Actors(Consent consent) =>
        consent.Status == Consent.ConsentState.Active && consent.Provision?.Type != Consent.ConsentProvisionType.Deny
            ? consent.Provision?.Actor.Select(a => ReferralTask.PartnerId(a.Reference?.Reference)).OfType<string>() ?? []
            : [];
}
