using Npgsql;

namespace Gateway.Jobs.PartnerSync;

/// <summary>The per-partner pull cursor (table partner_sync_cursor, migration 0006).</summary>
public sealed class SyncCursor(NpgsqlDataSource dataSource)
{
    public async Task<string?> GetAsync(string partnerId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select cursor from partner_sync_cursor where partner_id = $1");
        command.Parameters.Add(new() { Value = partnerId });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public async Task SetAsync(string partnerId, string cursor, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            insert into partner_sync_cursor (partner_id, cursor, updated_at) values ($1, $2, $3)
            on conflict (partner_id) do update set cursor = excluded.cursor, updated_at = excluded.updated_at
            """);
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = cursor });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(ct);
    }
}
