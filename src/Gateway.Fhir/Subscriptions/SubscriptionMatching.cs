using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Search;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// Which Subscriptions a change matches: its criteria, with <c>_id</c> of the changed resource
/// added, searched inside the change's transaction as the Subscription's creator sees the store,
/// so a partner hears only of what it could read itself.
/// </summary>
internal static class SubscriptionMatching
{
    // Subscriptions in error or requested still collect notifications: they are sent once it is active again.
    private static readonly Subscription.SubscriptionStatus[] Collecting =
        [Subscription.SubscriptionStatus.Requested, Subscription.SubscriptionStatus.Active, Subscription.SubscriptionStatus.Error];

    /// <param name="candidates">The candidates per type already read in this transaction's notification pass (issue 18: a chunk of records changes hundreds of resources of a few types).</param>
    public static async Task<IReadOnlyList<string>> MatchesAsync(ResourceWriter gateway, ResourceChange change, PartnerDirectory partners,
        Dictionary<string, List<(string Id, string CreatedBy, Subscription Subscription)>> candidates, CancellationToken ct)
    {
        if (!candidates.TryGetValue(change.ResourceType, out var ofType))
        {
            candidates[change.ResourceType] = ofType = await CandidatesAsync(gateway, change.ResourceType, ct);
        }

        var matches = new List<string>();
        foreach (var (id, createdBy, subscription) in ofType)
        {
            if (partners.Find(createdBy) is not { } partner || subscription.Status is not { } status || !Collecting.Contains(status))
            {
                continue;
            }

            SearchCriteria criteria;
            try
            {
                criteria = SubscriptionRules.Criteria(subscription);
            }
            catch (Errors.FhirException)
            {
                continue;
            }

            if (criteria.ResourceType != change.ResourceType)
            {
                continue;
            }

            var withId = SearchQuery.Parse(change.ResourceType, [new("_id", change.Id)]);
            var subscriber = new CallingPartner("subscription", partner.Id, partner.Kind, SmartScopes.Parse(null));
            var found = await gateway.As(subscriber).FindIdsAsync(criteria with { Clauses = [.. criteria.Clauses, .. withId.Clauses] }, 1, ct);
            if (found.Count > 0)
            {
                matches.Add(id);
            }
        }

        return matches;
    }

    // Only the Subscriptions partners made (created_by), whose criteria name the changed type or a topic (checked above).
    private static async Task<List<(string Id, string CreatedBy, Subscription Subscription)>> CandidatesAsync(ResourceWriter gateway, string type, CancellationToken ct)
    {
        await using var command = gateway.Command();
        command.CommandText = """
            select r.resource_id, r.created_by, v.body
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = 'Subscription' and not r.is_deleted and r.created_by is not null
              and (v.body->>'criteria' like $1 or v.body->>'criteria' like $2)
            order by r.resource_id
            """;
        command.Parameters.Add(new() { Value = type + "%" });
        command.Parameters.Add(new() { Value = Conformance.GatewayGuide.Canonical("SubscriptionTopic", "%") });
        var candidates = new List<(string, string, Subscription)>();
        // Generic: the scan is of the few Subscriptions whatever the patterns, and the custom plan
        // PostgreSQL otherwise keeps choosing for the two like patterns cost 0.2 ms of planning a
        // type, two a referral bundle (issue 18, ninth pass).
        await using var batch = PlanModeBatch.For(command, "force_generic_plan", command.Connection!, command.Transaction);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct); // past set_config's one row
        while (await reader.ReadAsync(ct))
        {
            candidates.Add((reader.GetString(0), reader.GetString(1), (Subscription)FhirSerialization.FromStoredJson(reader.GetString(2))));
        }

        return candidates;
    }
}
