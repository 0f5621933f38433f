using Npgsql;

namespace Gateway.Api.Tests.Records;

/// <summary>task_feed (migration 0050) against what it is derived from: each live Task's owner at the Task's last change.</summary>
public static class TaskFeedIndex
{
    /// <returns>How many rows are in one and not the other, and how many rows were compared.</returns>
    public static async Task<(long Mismatched, long Rows)> CompareAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            with derived as (
                select o.resource_key, o.target_id as partner_id, r.last_updated
                from search_reference o join resource r on r.resource_key = o.resource_key
                where o.resource_type = 'Task' and o.param = 'owner' and o.target_type = 'Organization' and not r.is_deleted)
            select count(*) filter (where d.resource_key is null or f.resource_key is null), count(*)
            from task_feed f full join derived d using (resource_key, partner_id, last_updated)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
