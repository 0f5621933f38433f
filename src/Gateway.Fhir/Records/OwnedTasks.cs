using Gateway.Fhir.Access;
using Gateway.Fhir.Serialization;
using Npgsql;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Records;

/// <summary>
/// The Tasks a partner owns, oldest change first, a page after a <see cref="FeedPosition"/>: the
/// referral feed's one query. It walks <c>resource_type_updated</c> (type, last_updated,
/// resource_key), the feed's own order, from the position on, and keeps the rows whose owner is
/// the caller, so a page costs its 100 rows plus the other partners' Tasks interleaved with them,
/// never a sort of everything the partner ever had.
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
            select r.last_updated, r.resource_key, v.body
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = 'Task' and not r.is_deleted
              and (r.last_updated, r.resource_key) > ($1, $2)
              and exists (select 1 from search_reference o
                          where o.resource_key = r.resource_key and o.resource_type = 'Task' and o.param = 'owner'
                            and o.target_type = 'Organization' and o.target_id = $3)
              and {PartnerVisibility.Condition(command, caller, "r", ["Task"])}
            order by r.last_updated, r.resource_key
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
