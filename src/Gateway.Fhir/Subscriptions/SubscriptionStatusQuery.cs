using Gateway.Fhir.Access;
using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Npgsql;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// What <c>$status</c> answers (Backport IG, OperationDefinition backport-subscription-status): the
/// SubscriptionStatus of each Subscription the caller may see (its own, PartnerVisibility), topic-based or classic.
/// </summary>
public static class SubscriptionStatusQuery
{
    /// <param name="ids">Only these Subscriptions; null for all the caller's.</param>
    /// <param name="statuses">Only Subscriptions in one of these statuses; empty for any.</param>
    public static async Task<IReadOnlyList<Parameters>> FindAsync(NpgsqlDataSource dataSource, CallingPartner caller, IReadOnlyCollection<string>? ids,
        IReadOnlyCollection<string> statuses, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(statuses);
        await using var command = dataSource.CreateCommand();
        var only = ids is null ? "true" : $"r.resource_id = any({command.Bind(ids.ToArray())})";
        command.CommandText = $"""
            select v.body, coalesce(e.events, 0)
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            left join subscription_events e on e.subscription_id = r.resource_id
            where r.resource_type = 'Subscription' and not r.is_deleted and {only} and {PartnerVisibility.Condition(command, caller, "r")}
            order by r.resource_id
            """;
        var found = new List<Parameters>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var subscription = (Subscription)FhirSerialization.FromStoredJson(reader.GetString(0));
            if (statuses.Count == 0 || (subscription.Status is { } status && statuses.Contains(status.GetLiteral())))
            {
                found.Add(SubscriptionStatusParameters.Build(subscription, Backport.QueryStatus, reader.GetInt64(1), []));
            }
        }

        return found;
    }
}
