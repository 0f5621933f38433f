using Gateway.Fhir.Storage;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Fhir.Tests.Storage;

public sealed class SchemaMigratorTests
{
    [Fact]
    public async Task Instances_starting_together_apply_each_migration_exactly_once()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(SchemaMigratorTests)));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaMigrator.MigrateAsync(database, NullLogger.Instance))));

        var applied = results.SelectMany(r => r).ToList();
        Assert.Equal(applied.Distinct().Count(), applied.Count);
        Assert.Contains("0001_resources", applied);
        Assert.Contains("0002_search_index", applied);
        Assert.Contains("Audience", applied);
        await using var count = database.CreateCommand("select (select count(*) from schema_migration) + (select count(*) from schema_script)");
        Assert.Equal((long)applied.Count, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_second_start_applies_nothing()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(A_second_start_applies_nothing)));
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);

        var second = await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);

        Assert.Empty(second);
    }

    [Fact]
    public async Task A_repeatable_script_runs_again_when_its_text_changed()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(A_repeatable_script_runs_again_when_its_text_changed)));
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);
        await using (var stale = database.CreateCommand("update schema_script set checksum = 'an older text' where name = 'Audience'"))
        {
            await stale.ExecuteNonQueryAsync();
        }

        Assert.Equal(["Audience"], await SchemaMigrator.MigrateAsync(database, NullLogger.Instance));
        Assert.Empty(await SchemaMigrator.MigrateAsync(database, NullLogger.Instance));
    }
}
