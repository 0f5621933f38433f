using Gateway.Fhir.Access;
using Gateway.Fhir.Storage;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Fhir.Tests.Storage;

/// <summary>
/// The reference rules' check plans generically for itself (issue 18); the searches after it in
/// the same transaction must plan as their connection says: custom on the search pool, where a
/// generic plan of a skewed search took seconds.
/// </summary>
public sealed class ReferenceCheckPlanModeTests
{
    [Theory]
    [InlineData("-c plan_cache_mode=force_custom_plan", "force_custom_plan")]
    [InlineData(null, "auto")]
    public async Task After_the_check_the_transaction_plans_as_its_connection_does(string? options, string expected)
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(ReferenceCheckPlanModeTests) + (options is null ? "Auto" : "Custom"));
        await using var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Options = options }.ConnectionString);
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var gp = new CallingPartner("hillside-emis", "hillside-gp", "gp", SmartScopes.Parse("system/*.cruds"));

        await using (var check = new NpgsqlCommand { Connection = connection, Transaction = transaction })
        {
            await ReferenceRules.CheckAsync(check, [(1L, 1, gp)], CancellationToken.None);
        }

        await using var show = new NpgsqlCommand("show plan_cache_mode", connection, transaction);
        Assert.Equal(expected, (string)(await show.ExecuteScalarAsync())!);
    }
}
