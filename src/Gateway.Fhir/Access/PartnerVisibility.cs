using Gateway.Fhir.Partners;
using Gateway.Fhir.Search.Sql;
using Npgsql;

namespace Gateway.Fhir.Access;

/// <summary>
/// Which resources a partner may see and change (SPEC §8), as one SQL condition over a
/// <c>resource</c> row, used by every read, search, chain, include, history, conditional match
/// and write lock: the one place partner isolation is asked. What a partner may not see does not
/// exist for it (404, absent from results).
/// <list type="bullet">
/// <item>Everyone: the partner directory (Organization), the service directory (HealthcareService, Location) and the conformance resources, by type.</item>
/// <item>Operator: the audit trail (AuditEvent, Provenance), Subscriptions, Tasks and MeasureReports across partners, by type; nothing clinical.</item>
/// <item>Commissioner: nothing by type beyond the public ones; its MeasureReports and Subscriptions come through the audience.</item>
/// <item>Everything else: the resource's audience (<c>Audience.sql</c>), derived on write from the
/// workflow's references and the patient's Consent, one indexed lookup per row.</item>
/// <item>Evaluator: nothing by the conditions above (no audience row names one); its one way in is
/// Bulk Data $export, which reads through <see cref="ExportCondition"/>.</item>
/// </list>
/// </summary>
public static class PartnerVisibility
{
    private static readonly string[] PublicTypes =
        ["Organization", "StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "Questionnaire", "SearchParameter", "CapabilityStatement",
            "HealthcareService", "Location", "Measure"];

    // Tasks too: operators route held referrals and mark mistakes entered-in-error; a Task holds references, not clinical content.
    // MeasureReports are suppressed aggregates (SPEC §10): operators read every area's.
    private static readonly string[] OperatorTypes = ["AuditEvent", "Provenance", "Subscription", "Task", "MeasureReport"];

    // Tasks: an operator marks them entered-in-error (TaskRules says what else it may not do).
    private static readonly string[] OperatorWritableTypes = ["Subscription", "Task"];

    /// <summary>Whether <paramref name="caller"/> may read the row <paramref name="alias"/>; <c>true</c> when nobody calls (the gateway's own work).</summary>
    /// <param name="resourceTypes">The types the row can have, where the query already says (a read, a search, a chain's targets).</param>
    public static string Condition(NpgsqlCommand command, CallingPartner? caller, string alias, IReadOnlyCollection<string>? resourceTypes = null) =>
        Build(command, caller, alias, resourceTypes, write: false);

    /// <summary>Whether <paramref name="caller"/> may change the row <paramref name="alias"/> (update, patch, delete).</summary>
    public static string WriteCondition(NpgsqlCommand command, CallingPartner? caller, string alias, IReadOnlyCollection<string>? resourceTypes = null) =>
        Build(command, caller, alias, resourceTypes, write: true);

    private static string Build(NpgsqlCommand command, CallingPartner? caller, string alias, IReadOnlyCollection<string>? resourceTypes, bool write)
    {
        if (caller is null)
        {
            return "true";
        }

        if (resourceTypes is { Count: 0 })
        {
            resourceTypes = null; // unknown, so every type
        }

        var byType = write
            ? caller.Kind == PartnerKinds.Operator ? OperatorWritableTypes : []
            : caller.Kind == PartnerKinds.Operator ? [.. PublicTypes, .. OperatorTypes] : PublicTypes;
        if (resourceTypes is not null && resourceTypes.All(byType.Contains))
        {
            return "true";
        }

        if (PendingAudience.IsUnsettled(command, caller.PartnerId, out var ownNewKeys))
        {
            throw new InvalidOperationException(
                $"A read as {caller.PartnerId} was built inside a write transaction whose audience is not derived yet: the writer settles it first (ResourceWriter.SettleAudienceAsync).");
        }

        var branches = new List<string>();
        if (byType.Length > 0 && (resourceTypes is null || resourceTypes.Any(byType.Contains)))
        {
            branches.Add($"{alias}.resource_type = any({command.Bind(byType)})");
        }

        // Write rows are never time-limited (Audience.sql), so the write check needs no clock.
        var window = write ? "a.may_write" : "a.valid_from <= now() and a.valid_until > now()";
        branches.Add($"""
            exists (select 1 from resource_audience a where a.resource_key = {alias}.resource_key
                    and a.partner_id = {command.Bind(caller.PartnerId)} and {window})
            """);
        if (ownNewKeys is { Count: > 0 })
        {
            // The caller's own new resources of this write transaction, not derived yet: Audience.sql's created rule (PendingAudience).
            branches.Add($"{alias}.resource_key = any({command.Bind(ownNewKeys.ToArray())})");
        }

        return branches.Count == 1 ? branches[0] : "(" + string.Join(" or ", branches) + ")";
    }

    /// <summary>The resource types an evaluator's $export may hold: a patient, its referrals, their Tasks, outcome measures and Consents (SPEC §10).</summary>
    public static readonly IReadOnlyList<string> ExportTypes = ["Patient", "ServiceRequest", "Task", "QuestionnaireResponse", "Consent"];

    /// <summary>
    /// What an evaluator's Bulk Data $export may read of the row <paramref name="alias"/> (SPEC §10,
    /// docs/security.md): a resource of <see cref="ExportTypes"/> about a patient whose Consent
    /// allows research use now (the view <c>research_use</c>), the Patient itself or a resource whose
    /// subject, patient or Task.for it is. Nobody else exports: for any other caller, <c>false</c>.
    /// What is read is pseudonymised before it leaves (Gateway.Fhir.Export.ExportPseudonymiser).
    /// </summary>
    public static string ExportCondition(NpgsqlCommand command, CallingPartner caller, string alias)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != PartnerKinds.Evaluator)
        {
            return "false";
        }

        return $"""
            ({alias}.resource_type = any({command.Bind(ExportTypes.ToArray())}) and not {alias}.is_deleted and {alias}.resource_key in (
                select p.resource_key from resource p
                join research_use u on u.patient_id = p.resource_id and u.valid_from <= now() and u.valid_until > now()
                where p.resource_type = 'Patient' and not p.is_deleted
                union
                select x.resource_key from search_reference x
                join resource p on p.resource_type = 'Patient' and p.resource_id = x.target_id and not p.is_deleted
                join research_use u on u.patient_id = p.resource_id and u.valid_from <= now() and u.valid_until > now()
                where x.target_type = 'Patient' and x.param in ('patient', 'subject')))
            """;
    }
}
