using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Fhir.Storage;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace Gateway.Fhir.Tests.Storage;

/// <summary>
/// A chunk's read of its referrals' measures (issue 18) probes the index for each referral even
/// when the store's statistics were taken before it held any measure: a new store's first large
/// file stores 0.5 measures a row, and autovacuum analyses <c>search_reference</c> only later.
/// Joined as a whole, that read filtered every measure's based-on row by the chunk's ids, and grew
/// with each chunk. Asserts the plan's shape and the rows, never timing; the plan is written to
/// the test output.
/// </summary>
public sealed class MeasurementReadPlanTests(ITestOutputHelper output)
{
    private const int Referrals = 20_000;
    private const string Partner = "wor-kampen";

    [Fact]
    public async Task A_chunks_250_referrals_measures_are_read_through_the_index_when_the_statistics_predate_every_measure()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(MeasurementReadPlanTests)));
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);
        await ExecuteAsync(database, $"""
            insert into resource (resource_type, resource_id, version, last_updated, is_deleted)
            select 'Consent', 'consent-' || n, 1, now(), false from generate_series(1, {Referrals}) n;
            insert into search_reference (resource_key, resource_type, param, target_type, target_id)
            select resource_key, 'Consent', 'patient', 'Patient', 'patient-' || resource_key from resource;
            analyze;
            """);
        // Then one measure a referral, after the statistics: none of them is in what the planner knows.
        await ExecuteAsync(database, $"""
            insert into resource (resource_type, resource_id, version, last_updated, is_deleted)
            select 'QuestionnaireResponse', 'measure-' || n, 1, now(), false from generate_series(1, {Referrals}) n;
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            select resource_key, 1, resource_type, now(), 'POST', json_build_object('resourceType', resource_type, 'id', resource_id)
            from resource where resource_type = 'QuestionnaireResponse';
            insert into search_reference (resource_key, resource_type, param, target_type, target_id)
            select resource_key, resource_type, 'based-on', 'ServiceRequest', 'referral-' || substr(resource_id, 9)
            from resource where resource_type = 'QuestionnaireResponse';
            insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason)
            select resource_key, '{Partner}', true, '-infinity', 'infinity', 'created' from resource where resource_type = 'QuestionnaireResponse';
            """);
        var caller = new CallingPartner("wor-kampen-client", Partner, PartnerKinds.WelfareOrganisation, SmartScopes.Parse("system/*.cruds"));
        var chunk = Enumerable.Range(1, 250).Select(n => $"referral-{n * 61}").Order(StringComparer.Ordinal).ToArray();

        await using var connection = await database.OpenConnectionAsync();
        await using (var explain = ChunkMeasurements.Query(chunk, caller))
        {
            explain.Connection = connection;
            var referenceReads = (await PlanNodes.ExplainAsync(explain, output)).Where(n => n.Relation == "search_reference").ToList();
            Assert.NotEmpty(referenceReads);
            Assert.All(referenceReads, n => Assert.Contains("target_id", n.IndexCondition ?? "(no index condition)", StringComparison.Ordinal));
        }

        await using var read = ChunkMeasurements.Query(chunk, caller);
        read.Connection = connection;
        var found = new List<(string, string)>();
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.Equal(chunk.Select(id => (id, "measure-" + id["referral-".Length..])).Order(), found.Order());
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
