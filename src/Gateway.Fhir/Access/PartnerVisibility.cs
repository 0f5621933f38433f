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
/// <item>Everyone: the partner directory (Organization) and the conformance resources, by type.</item>
/// <item>Operator: the audit trail (AuditEvent, Provenance), Subscriptions, Tasks and MeasureReports across partners, by type; nothing clinical.</item>
/// <item>Commissioner: nothing by type beyond the public ones; its MeasureReports and Subscriptions come through the audience.</item>
/// <item>Everything else: the resource's audience (<c>Audience.sql</c>), derived on write from the
/// workflow's references and the patient's Consent, one indexed lookup per row.</item>
/// </list>
/// </summary>
public static class PartnerVisibility
{
    private static readonly string[] PublicTypes =
        ["Organization", "StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "Questionnaire", "SearchParameter", "CapabilityStatement", "Measure"];

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
        return branches.Count == 1 ? branches[0] : "(" + string.Join(" or ", branches) + ")";
    }
}
