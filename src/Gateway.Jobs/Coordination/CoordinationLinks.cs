using Npgsql;

namespace Gateway.Jobs.Coordination;

/// <summary>What the gateway made at a partner's FHIR server for one of its Tasks, and where the sync got to.</summary>
public sealed record CoordinationLink(
    string GatewayTaskId, string PartnerId, string? PatientId, string? ServiceRequestId, string? TaskId, string? SeenState, string? SyncError);

/// <summary>The SQL of <c>partner_fhir_link</c> (migration 0008). Each id is written as soon as the partner's server gave it, so a retry goes on from there.</summary>
public sealed class CoordinationLinks(NpgsqlDataSource dataSource)
{
    public async Task<CoordinationLink> GetOrAddAsync(string gatewayTaskId, string partnerId, DateTimeOffset now, CancellationToken ct)
    {
        await using (var insert = dataSource.CreateCommand("insert into partner_fhir_link (gateway_task_id, partner_id, created_at) values ($1, $2, $3) on conflict do nothing"))
        {
            insert.Parameters.Add(new() { Value = gatewayTaskId });
            insert.Parameters.Add(new() { Value = partnerId });
            insert.Parameters.Add(new() { Value = now });
            await insert.ExecuteNonQueryAsync(ct);
        }

        return (await FindAsync(gatewayTaskId, ct))!;
    }

    public async Task<CoordinationLink?> FindAsync(string gatewayTaskId, CancellationToken ct)
    {
        var links = await ReadAsync("where gateway_task_id = $1", gatewayTaskId, ct);
        return links.Count == 0 ? null : links[0];
    }

    /// <summary>The partner's links whose Task exists at its server, oldest first.</summary>
    public Task<List<CoordinationLink>> OfPartnerAsync(string partnerId, CancellationToken ct) =>
        ReadAsync("where partner_id = $1 and task_id is not null order by created_at, gateway_task_id", partnerId, ct);

    /// <summary>Sets one of <c>patient_id</c>, <c>service_request_id</c>, <c>task_id</c>.</summary>
    public async Task SetIdAsync(string gatewayTaskId, string column, string id, CancellationToken ct)
    {
        if (column is not ("patient_id" or "service_request_id" or "task_id"))
        {
            throw new ArgumentException($"{column} is not an id column of partner_fhir_link.", nameof(column));
        }

        await using var command = dataSource.CreateCommand($"update partner_fhir_link set {column} = $2 where gateway_task_id = $1");
        command.Parameters.Add(new() { Value = gatewayTaskId });
        command.Parameters.Add(new() { Value = id });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>What the sync last saw of the partner's Task, and the reason it could not be applied (null when it was).</summary>
    public async Task SeenAsync(string gatewayTaskId, string state, string? error, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("update partner_fhir_link set seen_state = $2, sync_error = $3, synced_at = $4 where gateway_task_id = $1");
        command.Parameters.Add(new() { Value = gatewayTaskId });
        command.Parameters.Add(new() { Value = state });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<CoordinationLink>> ReadAsync(string where, string value, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"select gateway_task_id, partner_id, patient_id, service_request_id, task_id, seen_state, sync_error from partner_fhir_link {where}");
        command.Parameters.Add(new() { Value = value });
        var links = new List<CoordinationLink>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            links.Add(new CoordinationLink(reader.GetString(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6)));
        }

        return links;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
