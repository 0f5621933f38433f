using Gateway.Fhir.Storage;
using Npgsql;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// How many notification events each Subscription has had (<c>subscription_events</c>): the
/// Backport IG's event numbers and <c>events-since-subscription-start</c>.
/// </summary>
public static class SubscriptionEvents
{
    /// <summary>The next event number of the Subscription, taken inside the change's transaction; its row lock orders concurrent changes.</summary>
    internal static async Task<long> NextAsync(ResourceWriter gateway, string subscriptionId, CancellationToken ct)
    {
        await using var command = gateway.Command();
        command.CommandText = """
            insert into subscription_events (subscription_id, events) values ($1, 1)
            on conflict (subscription_id) do update set events = subscription_events.events + 1
            returning events
            """;
        command.Parameters.Add(new() { Value = subscriptionId });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The events so far of each of <paramref name="subscriptionIds"/>; 0 for one that has had none.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountsAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<string> subscriptionIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("select subscription_id, events from subscription_events where subscription_id = any($1)");
        command.Parameters.Add(new() { Value = subscriptionIds.ToArray() });
        var counts = subscriptionIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => 0L, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
