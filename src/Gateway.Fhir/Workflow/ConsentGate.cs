using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// SPEC §5: no personal data goes to a housing or welfare partner unless an active Consent of the
/// patient names it in provision.actor, within provision.period if it has one. One SQL condition,
/// used both by <see cref="Access.PartnerVisibility"/> (what the partner may read) and by the
/// workflow (whether a new Task is held for consent).
/// </summary>
public static class ConsentGate
{
    /// <param name="partnerId">A bound parameter or SQL expression holding the partner's id.</param>
    /// <param name="patientId">A bound parameter or SQL expression holding the Patient's id.</param>
    public static string Condition(string partnerId, string patientId) => $"""
        exists (select 1 from search_reference cp
                join search_reference ca on ca.resource_key = cp.resource_key and ca.param = 'actor'
                     and ca.target_type = 'Organization' and ca.target_id = {partnerId}
                join search_token cs on cs.resource_key = cp.resource_key and cs.param = 'status' and cs.code = 'active'
                where cp.resource_type = 'Consent' and cp.param = 'patient' and cp.target_type = 'Patient' and cp.target_id = {patientId}
                  and not exists (select 1 from search_date cd where cd.resource_key = cp.resource_key and cd.param = 'period'
                                  and not (cd.start_at <= now() and cd.end_at > now())))
        """;

    /// <summary>Whether the patient's consent lets <paramref name="partnerId"/> see them now, as this transaction sees the store.</summary>
    public static async Task<bool> PermitsAsync(ResourceWriter writer, string? patientReference, string partnerId, CancellationToken ct)
    {
        if (patientReference is null || !patientReference.StartsWith("Patient/", StringComparison.Ordinal))
        {
            return false;
        }

        await using var command = writer.Command();
        command.CommandText = "select " + Condition(command.Bind(partnerId), command.Bind(patientReference["Patient/".Length..]));
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>The partners an active, permitting Consent names as its actors.</summary>
    public static IEnumerable<string> Actors(Consent consent) =>
        consent.Status == Consent.ConsentState.Active && consent.Provision?.Type != Consent.ConsentProvisionType.Deny
            ? consent.Provision?.Actor.Select(a => ReferralTask.PartnerId(a.Reference?.Reference)).OfType<string>() ?? []
            : [];
}
