using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Tests.Storage;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace Gateway.Fhir.Tests.Search;

/// <summary>
/// With 100,000 Tasks stored, the provider's work-list query answers through the index, not a
/// sequential scan. Asserts the plan's shape, never its timing; the plan is written to the test output.
/// </summary>
public sealed class SearchPlanTests(ITestOutputHelper output)
{
    private const int Tasks = 100_000;

    [Fact]
    public async Task Owner_and_status_search_over_100000_tasks_uses_the_index()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(SearchPlanTests)));
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);
        await FillWithTasks(database);

        var request = SearchRequestParser.Parse("Task",
            [new("owner", "Organization/org-17"), new("status", "requested"), new("_count", "50")],
            lenient: false, defaultCount: 50, maxCount: 500);
        await using var command = database.CreateCommand();
        SearchEngine.BuildPageQuery(command, request, "http://gateway.test/fhir");
        var nodes = await PlanNodes.ExplainAsync(command, output);
        Assert.DoesNotContain(nodes, n => n.Type == "Seq Scan" && n.Relation is "resource" or "search_token" or "search_reference");
        Assert.Contains(nodes, n => n.Type.Contains("Index", StringComparison.Ordinal) && n.Relation is "search_token" or "search_reference");
    }

    private static async Task FillWithTasks(NpgsqlDataSource database)
    {
        // Rows straight into the store's tables: what 100,000 referrals leave behind, without 100,000 HTTP calls.
        await using var command = database.CreateCommand($"""
            insert into resource (resource_type, resource_id, version, last_updated, is_deleted)
            select 'Task', 'task-' || n, 1, now(), false from generate_series(1, {Tasks}) n;
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            select resource_key, 1, 'Task', now(), 'POST',
                   json_build_object('resourceType', 'Task', 'id', resource_id, 'status', 'requested', 'intent', 'order')
            from resource;
            insert into search_token (resource_key, resource_type, param, system, code)
            select resource_key, 'Task', 'status', 'http://hl7.org/fhir/task-status',
                   (array['requested', 'accepted', 'in-progress', 'completed', 'cancelled'])[1 + resource_key % 5]
            from resource;
            insert into search_reference (resource_key, resource_type, param, target_type, target_id)
            select resource_key, 'Task', 'owner', 'Organization', 'org-' || (resource_key % 200) from resource;
            analyze;
            """);
        await command.ExecuteNonQueryAsync();
    }
}
