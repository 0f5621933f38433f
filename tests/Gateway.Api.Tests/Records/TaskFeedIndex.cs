using Npgsql;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// task_feed (migrations 0050, 0051) against what it is derived from: each live Task's owner at the
/// Task's last change, with the ServiceRequest and Patient ids its current body's focus and <c>for</c>
/// name ("Type/id" references only, as the feed always read them).
/// </summary>
public static class TaskFeedIndex
{
    /// <returns>How many rows are in one and not the other, and how many rows were compared.</returns>
    public static async Task<(long Mismatched, long Rows)> CompareAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            with derived as (
                select o.resource_key, o.target_id as partner_id, r.last_updated,
                       coalesce(substring(v.body->'focus'->>'reference' from '^ServiceRequest/([^/]*)$'), '') as request_id,
                       coalesce(substring(v.body->'for'->>'reference' from '^Patient/([^/]*)$'), '') as patient_id
                from search_reference o join resource r on r.resource_key = o.resource_key
                join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where o.resource_type = 'Task' and o.param = 'owner' and o.target_type = 'Organization' and not r.is_deleted),
            kept as (
                select f.resource_key, f.partner_id, f.last_updated, coalesce(f.request_id, '') as request_id, coalesce(f.patient_id, '') as patient_id
                from task_feed f)
            select count(*) filter (where d.resource_key is null or f.resource_key is null), count(*)
            from kept f full join derived d using (resource_key, partner_id, last_updated, request_id, patient_id)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
