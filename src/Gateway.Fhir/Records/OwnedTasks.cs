using Gateway.Fhir.Access;
using Gateway.Fhir.Serialization;
using Npgsql;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Records;

/// <summary>
/// The Tasks a partner owns, oldest change first, a page after a <see cref="FeedPosition"/>: the
/// referral feed's one query. <c>owned_task_page</c> (migration 0040) walks
/// <c>resource_type_updated</c> (type, last_updated, resource_key), the feed's own order, from the
/// position on and keeps the caller's, so a page costs its rows plus the other partners' Tasks
/// between them, never a sort of everything the partner ever had.
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
            select p.last_updated, p.resource_key, v.body
            from owned_task_page($3, $1, $2, $4) p
            join resource r on r.resource_key = p.resource_key
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where {PartnerVisibility.Condition(command, caller, "r", ["Task"])}
            order by p.last_updated, p.resource_key
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
