using Gateway.Fhir.Storage;
using Gateway.Fhir.Timeline;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace Gateway.Fhir.Tests.Storage;

/// <summary>
/// The referral timeline's read of the Provenance that targets a Task and its referral probes the
/// index for each target, with 20,000 Provenance stored, instead of reading every Provenance's
/// target rows (it compared <c>target_type || '/' || target_id</c>, which no index has). Asserts
/// the plan's shape and the rows, never timing; the plan is written to the test output.
/// </summary>
public sealed class TimelineReadPlanTests(ITestOutputHelper output)
{
    private const int Provenances = 20_000;
    private static readonly string[] TargetTypes = ["Task", "ServiceRequest", "ServiceRequest"];
    private static readonly string[] TargetIds = ["task-7", "referral-7", "referral-12"];

    [Fact]
    public async Task A_referrals_provenance_is_read_through_the_index_among_20000()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(TimelineReadPlanTests)));
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);
        // Provenance n targets Task/task-n and ServiceRequest/referral-n.
        await using (var fill = database.CreateCommand($"""
            insert into resource (resource_type, resource_id, version, last_updated, is_deleted)
            select 'Provenance', 'provenance-' || n, 1, now(), false from generate_series(1, {Provenances}) n;
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            select resource_key, 1, resource_type, now(), 'POST', json_build_object('resourceType', resource_type, 'id', resource_id)
            from resource;
            insert into search_reference (resource_key, resource_type, param, target_type, target_id)
            select resource_key, 'Provenance', 'target', t.target_type, t.prefix || substr(resource_id, 12)
            from resource cross join (values ('Task', 'task-'), ('ServiceRequest', 'referral-')) t(target_type, prefix);
            analyze;
            """))
        {
            await fill.ExecuteNonQueryAsync();
        }

        await using var explain = Referring(database);
        var referenceReads = (await PlanNodes.ExplainAsync(explain, output)).Where(n => n.Relation == "search_reference").ToList();
        Assert.NotEmpty(referenceReads);
        Assert.All(referenceReads, n => Assert.Contains("target_id", n.IndexCondition ?? "(no index condition)", StringComparison.Ordinal));

        await using var read = Referring(database);
        var found = new List<string>();
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found.Add(reader.GetString(0));
            }
        }

        // Task/task-7 and ServiceRequest/referral-7 are both Provenance 7's: once. referral-12 is Provenance 12's.
        Assert.Equal(["provenance-12", "provenance-7"], found.Order());
    }

    private static NpgsqlCommand Referring(NpgsqlDataSource database)
    {
        var command = database.CreateCommand(TimelineRows.ReferringQuery);
        command.Parameters.Add(new() { Value = "Provenance" });
        command.Parameters.Add(new() { Value = "target" });
        command.Parameters.Add(new() { Value = TargetTypes });
        command.Parameters.Add(new() { Value = TargetIds });
        return command;
    }
}
