using System.Collections.Concurrent;
using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Api.Tests.Storage;

/// <summary>
/// A gateway killed (SIGKILL) in the middle of a stream of writes leaves a consistent store:
/// every write it acknowledged is there, no version is half-written, no index row lacks its
/// resource, and a restarted gateway carries on.
/// </summary>
public sealed class CrashConsistencyTests
{
    [Fact]
    public async Task Killing_the_gateway_mid_write_leaves_the_store_consistent_and_loses_nothing_acknowledged()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(CrashConsistencyTests));
        var acknowledged = new ConcurrentBag<(string Id, int Version)>();

        await using (var gateway = await GatewayProcess.StartAsync(connectionString))
        {
            using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(() => WriteUntilKilled(client, acknowledged, stop.Token))).ToList();

            // Let writes pile up, then kill the process while they are in flight.
            while (acknowledged.Count < 60)
            {
                await Task.Delay(20);
            }

            gateway.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using var database = NpgsqlDataSource.Create(connectionString);
        foreach (var (id, version) in acknowledged)
        {
            Assert.True(await Scalar<long>(database, "select count(*) from resource where resource_id = $1 and version >= $2", id, version) == 1,
                $"Patient/{id} version {version} was acknowledged but is not stored.");
        }

        Assert.Equal(0L, await Scalar<long>(database, """
            select count(*) from resource r
            where not exists (select 1 from resource_version v where v.resource_key = r.resource_key and v.version = r.version)
               or exists (select 1 from resource_version v where v.resource_key = r.resource_key and v.version > r.version)
               or (select count(*) from resource_version v where v.resource_key = r.resource_key) <> r.version
            """));
        Assert.Equal(0L, await Scalar<long>(database, """
            select count(*) from search_token t join resource r on r.resource_key = t.resource_key where r.is_deleted
            """));
        Assert.Equal(0L, await Scalar<long>(database, """
            select count(*) from resource r where not r.is_deleted and r.resource_type = 'Patient'
              and not exists (select 1 from search_token t where t.resource_key = r.resource_key and t.param = 'identifier')
            """));

        await using var restarted = await GatewayProcess.StartAsync(connectionString);
        using var again = new HttpClient { BaseAddress = restarted.BaseAddress };
        using var response = await again.PostAsync("Patient", Resources.Patient());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task WriteUntilKilled(HttpClient client, ConcurrentBag<(string, int)> acknowledged, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var created = await client.PostAsync("Patient", Resources.Patient());
                var patient = await created.ReadResourceAsync<Patient>();
                acknowledged.Add((patient.Id, 1));
                patient.Name[0].Family = "Updated";
                using var updated = await client.PutAsync($"Patient/{patient.Id}", patient);
                if (updated.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add((patient.Id, 2));
                }
            }
        }
        catch (HttpRequestException)
        {
            // The process is gone: this writer's in-flight request was never acknowledged.
        }
        catch (InvalidOperationException)
        {
            // A response cut off mid-body is no acknowledgement either.
        }
        catch (TaskCanceledException)
        {
        }
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource database, string sql, params object[] parameters)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
