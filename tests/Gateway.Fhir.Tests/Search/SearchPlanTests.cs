using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Tests.Storage;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace Gateway.Fhir.Tests.Search;

/// <summary>
/// Searches on a large store answer through the index, not a sequential scan, and a page reads about
/// a page. Asserts the plan's shape and rows, never its timing; the plan is written to the test output.
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

    /// <summary>
    /// A search for one token code most of its type has (a GP's <c>ServiceRequest?status=active</c>)
    /// pages in key order from the index: it reads about a page of the code's index rows, not all
    /// 18,000 among the store's 500,000, and sorts only the page. With the system before the key in
    /// <c>search_token_lookup</c> the rows came in (system, key) order, and every match was read,
    /// sorted and de-duplicated first.
    /// </summary>
    [Fact]
    public async Task A_page_of_a_token_code_most_resources_have_reads_about_a_page_of_its_index_rows()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(SearchPlanTests) + "_dense"));
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);
        // A store's mix: a ServiceRequest among every five resources, each resource with five token
        // rows, so the ServiceRequests' status rows are a small part of search_token, in no key order.
        await using (var fill = database.CreateCommand("""
            insert into resource (resource_type, resource_id, version, last_updated, is_deleted)
            select case when n % 5 = 0 then 'ServiceRequest' else 'Observation' end, 'r-' || n, 1, now(), false from generate_series(1, 100000) n;
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            select resource_key, 1, resource_type, now(), 'POST', json_build_object('resourceType', resource_type, 'id', resource_id)
            from resource;
            insert into search_token (resource_key, resource_type, param, system, code)
            select r.resource_key, r.resource_type, p.param, 'http://example.org/' || p.param,
                   case when p.param <> 'status' then r.resource_id when r.resource_key % 50 = 0 then 'completed' else 'active' end
            from resource r cross join unnest(array['status', 'identifier', 'category', 'intent', 'priority']) p(param);
            """))
        {
            await fill.ExecuteNonQueryAsync();
        }

        // As autovacuum leaves a store it has visited: statistics, and a visibility map that lets the index
        // answer alone. FREEZE, as a plain VACUUM this soon after the inserts left no page all-visible here.
        await using (var vacuum = database.CreateCommand("vacuum (freeze, analyze)"))
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        var request = SearchRequestParser.Parse("ServiceRequest", [new("status", "active"), new("_count", "50")],
            lenient: false, defaultCount: 50, maxCount: 500);
        await using var command = database.CreateCommand();
        SearchEngine.BuildPageQuery(command, request, "http://gateway.test/fhir");
        var nodes = await PlanNodes.ExplainAsync(command, output);
        Assert.Contains(nodes, n => n.Relation == "search_token" && n.Type.Contains("Index", StringComparison.Ordinal));
        // No step reads, sorts or joins more than a few pages' rows (the page's own sort of 51 included).
        Assert.All(nodes, n => Assert.InRange(n.Rows, 0, 500));
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
