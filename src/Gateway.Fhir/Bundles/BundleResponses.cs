using Gateway.Fhir.Errors;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// The kept first answers to Bundles with an identifier (SPEC §3, table bundle_response,
/// migration 0011). <see cref="LockAsync"/> holds a transaction-scoped advisory lock on the key
/// on a connection of its own while the Bundle is processed, so concurrent copies wait and then
/// find the first one's answer. Not on the write pool (<see cref="Storage.WriteConnections"/>): a bundle
/// would hold two of its connections, and twice the warm ones would be needed.
/// </summary>
public sealed class BundleResponses(NpgsqlDataSource dataSource)
{
    /// <summary>Waits for the key's lock; the answer kept for it comes back, or 409 when the kept one was for other content.</summary>
    public async Task<HeldBundleKey> LockAsync(BundleKey key, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(ct);
            // One round trip; the select is a statement of its own after the lock, so (read
            // committed) it sees the answer a copy that held the lock before committed.
            await using var batch = new NpgsqlBatch(connection, transaction);
            var lockKey = new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))");
            lockKey.Parameters.Add(new() { Value = key.LockText });
            batch.BatchCommands.Add(lockKey);
            var select = new NpgsqlBatchCommand("""
                select content_hash, response from bundle_response
                where client_id = $1 and identifier_system = $2 and identifier_value = $3
                """);
            select.Parameters.Add(new() { Value = key.ClientId });
            select.Parameters.Add(new() { Value = key.System });
            select.Parameters.Add(new() { Value = key.Value });
            batch.BatchCommands.Add(select);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct); // past the lock's one row
            if (!await reader.ReadAsync(ct))
            {
                return new HeldBundleKey(connection, transaction, key, null);
            }

            if (reader.GetString(0) != key.ContentHash)
            {
                throw new FhirException(409, OperationOutcome.IssueType.Conflict,
                    $"A Bundle with identifier {key.System}|{key.Value} was already processed for this client, with other content. "
                    + "Send a changed Bundle with a new identifier; resend the first one unchanged to get its answer again.", "Bundle.identifier");
            }

            return new HeldBundleKey(connection, transaction, key, (Bundle)FhirSerialization.FromStoredJson(reader.GetString(1)));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Keeps the answer (its JSON, <see cref="BundleAnswer"/>) inside the transaction that wrote what it reports, so the two commit together.</summary>
    public static async Task SaveAsync(NpgsqlCommand command, BundleKey key, string responseJson, DateTimeOffset now, CancellationToken ct)
    {
        command.CommandText = """
            insert into bundle_response (client_id, identifier_system, identifier_value, content_hash, response, received_at)
            values ($1, $2, $3, $4, $5, $6)
            """;
        command.Parameters.Add(new() { Value = key.ClientId });
        command.Parameters.Add(new() { Value = key.System });
        command.Parameters.Add(new() { Value = key.Value });
        command.Parameters.Add(new() { Value = key.ContentHash });
        command.Parameters.Add(new() { Value = responseJson });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes the answers kept since before <paramref name="before"/>; how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("delete from bundle_response where received_at < $1");
        command.Parameters.Add(new() { Value = before });
        return await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A Bundle key locked until disposed, with the answer kept for it (null: the Bundle is new).</summary>
public sealed class HeldBundleKey(NpgsqlConnection connection, NpgsqlTransaction transaction, BundleKey key, Bundle? previous) : IAsyncDisposable
{
    public BundleKey Key { get; } = key;

    public Bundle? Previous { get; } = previous;

    /// <summary>Keeps a batch's answer: its entries committed one by one, so the answer commits on its own, with the lock.</summary>
    public async Task SaveAsync(string responseJson, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        await BundleResponses.SaveAsync(command, Key, responseJson, now, ct);
        await transaction.CommitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
