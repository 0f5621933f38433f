using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Subscriptions;
using Gateway.Fhir.Workflow;
using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The FHIR resource store on PostgreSQL: reads here, writes through <see cref="ResourceWriter"/>
/// inside one database transaction each (STYLE rule 9: concrete and FHIR-shaped, no repository).
/// </summary>
public sealed class ResourceStore(NpgsqlDataSource dataSource, WriteConnections writes, TimeProvider clock, ReferralWorkflow workflow, NotificationOutbox outbox, EndpointGuard endpoints)
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: everything it wrote commits together or
    /// not at all. <paramref name="caller"/> is the partner on whose behalf (null: the gateway's own work).
    /// On the write pool (<see cref="WriteConnections"/>): PostgreSQL's own plan choice, where
    /// searches outside a write keep force_custom_plan. <paramref name="connections"/> other than the
    /// write pool: the audit writer's own (<see cref="Audit.AuditConnections"/>).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<ResourceWriter, Task<T>> work, CancellationToken ct, CallingPartner? caller = null, NpgsqlDataSource? connections = null)
    {
        await using var connection = await (connections ?? writes.DataSource).OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var writer = new ResourceWriter(connection, transaction, Now(), caller, workflow, outbox, endpoints);
        var result = await work(writer);
        await writer.CompleteAsync(ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>The current version; 404 when unknown or not visible to <paramref name="caller"/>, 410 when deleted.</summary>
    public async Task<StoredResource> ReadAsync(string resourceType, string id, CancellationToken ct, CallingPartner? caller = null)
    {
        await using var command = dataSource.CreateCommand();
        command.Parameters.Add(new() { Value = resourceType });
        command.Parameters.Add(new() { Value = id });
        command.CommandText = $"""
            select v.version, v.last_updated, v.body
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = $1 and r.resource_id = $2 and {PartnerVisibility.Condition(command, caller, "r", [resourceType])}
            """;
        return await ReadOne(command, resourceType, id, ct)
            ?? throw new ResourceNotFoundException($"{resourceType}/{id} is not known to this server.");
    }

    public async Task<StoredResource> VReadAsync(string resourceType, string id, int version, CancellationToken ct, CallingPartner? caller = null)
    {
        await using var command = dataSource.CreateCommand();
        command.Parameters.Add(new() { Value = resourceType });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = version });
        command.CommandText = $"""
            select v.version, v.last_updated, v.body
            from resource r join resource_version v on v.resource_key = r.resource_key
            where r.resource_type = $1 and r.resource_id = $2 and v.version = $3 and {PartnerVisibility.Condition(command, caller, "r", [resourceType])}
            """;
        return await ReadOne(command, resourceType, id, ct)
            ?? throw new ResourceNotFoundException($"{resourceType}/{id} has no version {version}.");
    }

    /// <summary>The current versions of <paramref name="ids"/> of one type, read as the gateway; unknown and deleted ids are absent.</summary>
    public async Task<IReadOnlyDictionary<string, StoredResource>> ReadManyAsync(string resourceType, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var found = new Dictionary<string, StoredResource>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand();
        command.Parameters.Add(new() { Value = resourceType });
        command.Parameters.Add(new() { Value = ids.Distinct(StringComparer.Ordinal).ToArray() });
        command.CommandText = """
            select r.resource_id, v.version, v.last_updated, v.body
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = $1 and r.resource_id = any($2) and not r.is_deleted
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            found[id] = StoredResource.FromJson(resourceType, id, reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<byte[]>(3));
        }

        return found;
    }

    /// <summary>History, newest first; only versions of resources <paramref name="caller"/> may see now.</summary>
    public async Task<HistoryPage> HistoryAsync(HistoryRequest request, CancellationToken ct, CallingPartner? caller = null)
    {
        await using var command = dataSource.CreateCommand();
        HistorySql.Build(command, request, caller);
        var rows = new List<(HistoryEntry Entry, HistoryCursor Position)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var type = reader.GetString(0);
                var id = reader.GetString(1);
                var version = reader.GetInt32(2);
                var lastUpdated = reader.GetFieldValue<DateTimeOffset>(3);
                var body = reader.IsDBNull(5) ? null : FhirSerialization.FromStoredJson(reader.GetFieldValue<byte[]>(5));
                var entry = new HistoryEntry(new StoredResource(type, id, version, lastUpdated, body), reader.GetString(4));
                rows.Add((entry, new HistoryCursor(lastUpdated, reader.GetInt64(6), version)));
            }
        }

        // HistorySql asks for one row more than the page: its presence means there is a next page.
        var hasNext = rows.Count > request.Count;
        var page = rows.Take(request.Count).ToList();
        return new HistoryPage(page.ConvertAll(r => r.Entry), hasNext ? page[^1].Position.Encode() : null);
    }

    internal static async Task<StoredResource?> ReadOne(NpgsqlCommand command, string resourceType, string id, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var version = reader.GetInt32(0);
        var lastUpdated = reader.GetFieldValue<DateTimeOffset>(1);
        if (reader.IsDBNull(2))
        {
            throw new ResourceGoneException(resourceType, id, version, lastUpdated);
        }

        return StoredResource.FromJson(resourceType, id, version, lastUpdated, reader.GetFieldValue<byte[]>(2));
    }

    // PostgreSQL keeps microseconds; FHIR instants shown to clients must equal what was stored.
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
