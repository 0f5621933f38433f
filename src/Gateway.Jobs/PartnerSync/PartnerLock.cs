using Npgsql;

namespace Gateway.Jobs.PartnerSync;

/// <summary>
/// A PostgreSQL session advisory lock per partner and job, so one partner's pull (or drop folder)
/// never runs twice at once, whichever gateway instances run jobs. Held on its own connection for
/// the run; released when disposed.
/// </summary>
public sealed class PartnerLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _name;

    private PartnerLock(NpgsqlConnection connection, string name)
    {
        _connection = connection;
        _name = name;
    }

    /// <summary>The lock named e.g. <c>pull:test-housing</c>, or null when another run holds it.</summary>
    public static async Task<PartnerLock?> TryTakeAsync(NpgsqlDataSource dataSource, string name, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new() { Value = name });
        if (await command.ExecuteScalarAsync(ct) is true)
        {
            return new PartnerLock(connection, name);
        }

        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended($1, 0))", _connection);
            command.Parameters.Add(new() { Value = _name });
            await command.ExecuteScalarAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
