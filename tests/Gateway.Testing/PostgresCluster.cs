using Gateway.Fhir.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Testing;

/// <summary>
/// The test run's PostgreSQL: one embedded cluster per test process, started on first use with the
/// same launcher as the gateway, stopped and deleted at exit. Set GATEWAY_TEST_POSTGRES to a
/// connection string to use an existing server instead (each test class still gets its own database).
/// </summary>
public static class PostgresCluster
{
    public const string ServerVariable = "GATEWAY_TEST_POSTGRES";

    private static readonly Lazy<string> AdminConnectionString = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databaseCounter;

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}_{new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray())}";
        var admin = AdminConnectionString.Value;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server)
        {
            return server;
        }

        // /tmp rather than the build folder: when tests run as root the cluster runs as 'postgres', which must reach it.
        StaleTestClusters.Remove(Path.GetTempPath());
        var folder = Path.Combine(Path.GetTempPath(), $"{StaleTestClusters.Prefix}{Environment.ProcessId}");
        var settings = new Dictionary<string, string>
        {
            // A throw-away cluster: durability buys nothing, speed does.
            ["fsync"] = "off",
            ["synchronous_commit"] = "off",
            ["full_page_writes"] = "off",
            ["max_connections"] = "300",
        };
        var cluster = EmbeddedPostgres.Start(folder, NullLogger.Instance, settings);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            NpgsqlConnection.ClearAllPools();
            cluster.Dispose();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return cluster.ConnectionString("postgres");
    }
}
