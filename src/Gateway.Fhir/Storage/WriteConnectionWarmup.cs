using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>
/// Opens the write pool's minimum connections before the gateway serves, each with the audience
/// functions already planned. A new PostgreSQL backend plans every PL/pgSQL statement on its
/// first call (80 ms for refresh_audience on a 100,000-referral store), so without this the
/// first writes after a start, or after a quiet spell, cost four times the later ones (issue 18).
/// </summary>
internal sealed class WriteConnectionWarmup(WriteConnections writes, int count, ILogger<WriteConnectionWarmup> logger) : IHostedService
{
    // One stored resource of each type whose audience is derived, refreshed in a transaction that
    // is rolled back: the functions' statements run (and are planned) on the paths real writes
    // take, and nothing changes. The advisory locks it takes last only until the rollback.
    private const string Warm = """
        select refresh_audience(array(
            select k from unnest(array['Patient', 'ServiceRequest', 'Task', 'Consent', 'Provenance', 'QuestionnaireResponse']) t(type)
            cross join lateral (select resource_key from resource r where r.resource_type = t.type and not r.is_deleted limit 1) r(k)), '{}')
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var connections = new List<NpgsqlConnection>(count);
        try
        {
            // All open at once, so each is its own backend; two at a time do the work (2-core machines).
            for (var i = 0; i < count; i++)
            {
                connections.Add(await writes.DataSource.OpenConnectionAsync(cancellationToken));
            }

            await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = new NpgsqlCommand(Warm, connection, transaction);
                await command.ExecuteNonQueryAsync(ct);
                await transaction.RollbackAsync(ct);
            });
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }

        logger.LogInformation("{Count} write connections prepared in {Elapsed} ms.", count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
