using Gateway.Fhir.Access;
using Gateway.Fhir.Serialization;
using Npgsql;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Records;

/// <summary>
/// The Tasks a partner owns, oldest change first, a page after a <see cref="FeedPosition"/>: the
/// referral feed's one query, a range of <c>task_feed</c>'s index (migration 0050), so a page
/// reads its own rows and nothing else, however many Tasks the store holds.
/// </summary>
public sealed class OwnedTasks(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<(FhirTask Task, FeedPosition Position)>> PageAsync(
        CallingPartner caller, FeedPosition after, int count, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand();
        command.Parameters.Add(new() { Value = after.LastUpdated });
        command.Parameters.Add(new() { Value = after.ResourceKey });
        command.Parameters.Add(new() { Value = caller.PartnerId });
        command.Parameters.Add(new() { Value = count });
        command.CommandText = $"""
            select f.last_updated, f.resource_key, v.body
            from task_feed f
            join resource r on r.resource_key = f.resource_key
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where f.partner_id = $3 and (f.last_updated, f.resource_key) > ($1, $2)
              and {PartnerVisibility.Condition(command, caller, "r", ["Task"])}
            order by f.last_updated, f.resource_key
            limit $4
            """;
        var page = new List<(FhirTask, FeedPosition)>(count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var position = new FeedPosition(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1));
            page.Add(((FhirTask)FhirSerialization.FromStoredJson(reader.GetString(2)), position));
        }

        return page;
    }
}
