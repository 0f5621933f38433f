using Gateway.Fhir.Storage;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace Gateway.Fhir.Tests.Storage;

/// <summary>
/// A chunk's read of the resources its records point at (issue 18) probes the index for each of
/// its 500 (type, id) pairs, with 60,000 resources stored, instead of reading the whole resource
/// table: that read grew with the store. Asserts the plan's shape and the rows, never timing; the
/// plan is written to the test output.
/// </summary>
public sealed class HeldReadPlanTests(ITestOutputHelper output)
{
    private const int EachType = 12_000;
    // Types without kept measure facts, whose trigger would want real bodies.
    private static readonly string[] Types = ["Patient", "Consent", "Provenance", "Organization", "Practitioner"];

    [Fact]
    public async Task A_chunks_500_references_over_60000_resources_are_read_through_the_index()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(HeldReadPlanTests)));
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);
        await FillWithResources(database);
        var wanted = Enumerable.Range(0, 500).Select(n => (Type: Types[n % 2], Id: $"{Types[n % 2]}-{n * 23 + 1}")).ToList();

        await using var explain = database.CreateCommand(ResourceWriter.CurrentVersionsQuery);
        explain.Parameters.Add(new() { Value = wanted.Select(w => w.Type).ToArray() });
        explain.Parameters.Add(new() { Value = wanted.Select(w => w.Id).ToArray() });
        var nodes = await PlanNodes.ExplainAsync(explain, output);
        Assert.DoesNotContain(nodes, n => n.Type == "Seq Scan" && n.Relation is "resource" or "resource_version");
        Assert.Contains(nodes, n => n.Type == "Index Scan" && n.Relation == "resource");

        await using var read = database.CreateCommand(ResourceWriter.CurrentVersionsQuery);
        read.Parameters.Add(new() { Value = wanted.Select(w => w.Type).ToArray() });
        read.Parameters.Add(new() { Value = wanted.Select(w => w.Id).ToArray() });
        var found = new List<(string, string, int)>();
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }

        Assert.Equal(wanted.Select(w => (w.Type, w.Id, 1)).Order(), found.Order());
    }

    private static async Task FillWithResources(NpgsqlDataSource database)
    {
        // Rows straight into the store's tables: 60,000 resources of five types, without the HTTP calls.
        await using var command = database.CreateCommand($"""
            insert into resource (resource_type, resource_id, version, last_updated, is_deleted)
            select t, t || '-' || n, 1, now(), false
            from unnest(array['{string.Join("', '", Types)}']) t cross join generate_series(1, {EachType}) n;
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            select resource_key, 1, resource_type, now(), 'POST', json_build_object('resourceType', resource_type, 'id', resource_id)
            from resource;
            analyze;
            """);
        await command.ExecuteNonQueryAsync();
    }
}
