using Gateway.Fhir.Partners;
using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.Workflow;
using Npgsql;

namespace Gateway.Fhir.Access;

/// <summary>
/// Which resources a partner may see (SPEC §8), as one SQL condition over a <c>resource</c> row,
/// used by every read, search, include, history and conditional match: the one place partner
/// isolation lives. What a partner may not see does not exist for it (404, absent from results).
/// <list type="bullet">
/// <item>Everyone: what its own clients created, the partner directory (Organization) and the conformance resources.</item>
/// <item>As requester (usually a GP practice): the ServiceRequests it requested, their Tasks and QuestionnaireResponses, and their patients.</item>
/// <item>As owner (usually a housing or welfare provider): the Tasks it owns; and, only while an active Consent of the
/// patient names it, their focus ServiceRequests, those patients and the referrals' QuestionnaireResponses.</item>
/// <item>Operator: the audit trail (AuditEvent, Provenance), Subscriptions and Tasks across partners, nothing clinical.</item>
/// <item>GP practice and provider alike: the Provenance of what the gateway did to the Tasks and ServiceRequests they see.</item>
/// </list>
/// </summary>
public static class PartnerVisibility
{
    private static readonly string[] PublicTypes =
        ["Organization", "StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "Questionnaire", "SearchParameter", "CapabilityStatement"];

    // Tasks too: operators route held referrals and mark mistakes entered-in-error; a Task holds references, not clinical content.
    private static readonly string[] OperatorTypes = ["AuditEvent", "Provenance", "Subscription", "Task"];

    /// <summary>The condition for <paramref name="alias"/>; <c>true</c> when nobody calls (the gateway's own work).</summary>
    /// <param name="resourceTypes">
    /// The types the row can have, where the query already says (a read, a search, a chain's targets): only their
    /// branches are written. A condition with every branch takes PostgreSQL tens of milliseconds to plan.
    /// </param>
    public static string Condition(NpgsqlCommand command, CallingPartner? caller, string alias, IReadOnlyCollection<string>? resourceTypes = null)
    {
        if (caller is null)
        {
            return "true";
        }

        if (resourceTypes is { Count: 0 })
        {
            resourceTypes = null; // unknown, so every branch
        }

        bool Wanted(string type) => resourceTypes is null || resourceTypes.Contains(type);
        if (resourceTypes is not null && resourceTypes.All(PublicTypes.Contains))
        {
            return "true";
        }

        var me = command.Bind(caller.PartnerId);
        // created_by is null for the gateway's own resources; "is not distinct from" keeps the
        // condition true or false, never null, also where it is selected as a column.
        var branches = new List<string> { $"{alias}.created_by is not distinct from {me}" };
        if (PublicTypes.Any(Wanted))
        {
            branches.Add($"{alias}.resource_type = any({command.Bind(PublicTypes)})");
        }

        IEnumerable<(string[] Types, string Sql)> sides = caller.Kind switch
        {
            // Usually a GP practice requests and a provider performs; a housing provider's referral towards
            // health is the other way round, so both kinds see both sides of the referrals they are in.
            // The usual side first: PostgreSQL tries the branches of an OR in order, so most rows are settled by the first.
            PartnerKinds.GpPractice => RequesterSide(alias, me).Concat(OwnerSide(alias, me)),
            PartnerKinds.HousingProvider or PartnerKinds.WelfareOrganisation => OwnerSide(alias, me).Concat(RequesterSide(alias, me)),
            PartnerKinds.Operator => OperatorTypes.Any(Wanted) ? [([.. OperatorTypes], $"{alias}.resource_type = any({command.Bind(OperatorTypes)})")] : [],
            _ => [],
        };
        branches.AddRange(sides.Where(side => side.Types.Any(Wanted)).Select(side => side.Sql));
        return $"coalesce(({string.Join("\n or ", branches)}), false)";
    }

    // A ServiceRequest this GP requested, identified by the referencing row's target.
    private static string RequestedBy(string me, string serviceRequestId) => $"""
        exists (select 1 from resource sr join search_reference q on q.resource_key = sr.resource_key
                where sr.resource_type = 'ServiceRequest' and sr.resource_id = {serviceRequestId}
                  and q.param = 'requester' and q.target_type = 'Organization' and q.target_id = {me})
        """;

    private static IEnumerable<(string[] Types, string Sql)> RequesterSide(string alias, string me) =>
    [
        (["ServiceRequest"], $"""
            ({alias}.resource_type = 'ServiceRequest' and exists (select 1 from search_reference q where q.resource_key = {alias}.resource_key
                  and q.param = 'requester' and q.target_type = 'Organization' and q.target_id = {me}))
            """),
        (["Task"], $"""
            ({alias}.resource_type = 'Task' and exists (select 1 from search_reference q where q.resource_key = {alias}.resource_key
                  and q.param = 'requester' and q.target_type = 'Organization' and q.target_id = {me}))
            """),
        (["Task", "QuestionnaireResponse"], $"""
            ({alias}.resource_type in ('Task', 'QuestionnaireResponse') and exists (select 1 from search_reference b where b.resource_key = {alias}.resource_key
                  and b.param in ('based-on', 'focus') and b.target_type = 'ServiceRequest' and {RequestedBy(me, "b.target_id")}))
            """),
        (["Patient"], $"""
            ({alias}.resource_type = 'Patient' and exists (select 1 from search_reference s where s.resource_type = 'ServiceRequest'
                  and s.param = 'subject' and s.target_type = 'Patient' and s.target_id = {alias}.resource_id
                  and exists (select 1 from search_reference q where q.resource_key = s.resource_key and q.param = 'requester'
                              and q.target_type = 'Organization' and q.target_id = {me})))
            """),
        (["Provenance"], $"""
            ({alias}.resource_type = 'Provenance' and exists (select 1 from search_reference t where t.resource_key = {alias}.resource_key
                  and t.param = 'target' and t.target_type in ('ServiceRequest', 'Task')
                  and exists (select 1 from resource x join search_reference q on q.resource_key = x.resource_key
                              where x.resource_type = t.target_type and x.resource_id = t.target_id
                                and q.param = 'requester' and q.target_type = 'Organization' and q.target_id = {me})))
            """),
    ];

    private static IEnumerable<(string[] Types, string Sql)> OwnerSide(string alias, string me) =>
    [
        (["Task"], $"""
            ({alias}.resource_type = 'Task' and exists (select 1 from search_reference o where o.resource_key = {alias}.resource_key
                  and o.param = 'owner' and o.target_type = 'Organization' and o.target_id = {me}))
            """),
        (["ServiceRequest"], $"""
            ({alias}.resource_type = 'ServiceRequest' and {OwnsTaskFor(me, $"{alias}.resource_id")}
                  and exists (select 1 from search_reference p where p.resource_key = {alias}.resource_key and p.param = 'subject'
                              and p.target_type = 'Patient' and {ConsentGate.Condition(me, "p.target_id")}))
            """),
        (["Patient"], $"""
            ({alias}.resource_type = 'Patient' and {ConsentGate.Condition(me, $"{alias}.resource_id")}
                  and exists (select 1 from search_reference o join search_reference f on f.resource_key = o.resource_key
                              where o.resource_type = 'Task' and o.param = 'owner' and o.target_type = 'Organization' and o.target_id = {me}
                                and f.param = 'patient' and f.target_type = 'Patient' and f.target_id = {alias}.resource_id))
            """),
        (["Provenance"], $"""
            ({alias}.resource_type = 'Provenance' and exists (select 1 from search_reference t where t.resource_key = {alias}.resource_key
                  and t.param = 'target' and t.target_type = 'Task'
                  and exists (select 1 from resource x join search_reference o on o.resource_key = x.resource_key
                              where x.resource_type = 'Task' and x.resource_id = t.target_id
                                and o.param = 'owner' and o.target_type = 'Organization' and o.target_id = {me})))
            """),
        (["QuestionnaireResponse"], $"""
            ({alias}.resource_type = 'QuestionnaireResponse' and exists (select 1 from search_reference b where b.resource_key = {alias}.resource_key
                  and b.param = 'based-on' and b.target_type = 'ServiceRequest' and {OwnsTaskFor(me, "b.target_id")})
                  and exists (select 1 from search_reference p where p.resource_key = {alias}.resource_key and p.param = 'subject'
                              and p.target_type = 'Patient' and {ConsentGate.Condition(me, "p.target_id")}))
            """),
    ];

    // A Task this provider owns whose focus is the ServiceRequest.
    private static string OwnsTaskFor(string me, string serviceRequestId) => $"""
        exists (select 1 from search_reference o join search_reference f on f.resource_key = o.resource_key
                where o.resource_type = 'Task' and o.param = 'owner' and o.target_type = 'Organization' and o.target_id = {me}
                  and f.param = 'focus' and f.target_type = 'ServiceRequest' and f.target_id = {serviceRequestId})
        """;
}
