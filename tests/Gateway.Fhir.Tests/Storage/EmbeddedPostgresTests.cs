using Gateway.Fhir.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Fhir.Tests.Storage;

public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gateway-embedded-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_second_start_reuses_the_data_of_the_first()
    {
        using (var first = EmbeddedPostgres.Start(_folder, NullLogger.Instance))
        {
            await first.EnsureDatabaseAsync("kept");
            await Execute(first.ConnectionString("kept"), "create table marker (value text); insert into marker values ('still here')");
            NpgsqlConnection.ClearAllPools();
        }

        using var second = EmbeddedPostgres.Start(_folder, NullLogger.Instance);
        await using var connection = new NpgsqlConnection(second.ConnectionString("kept"));
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("select value from marker", connection);
        Assert.Equal("still here", await read.ExecuteScalarAsync());
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task The_cluster_listens_on_loopback_with_a_password()
    {
        using var cluster = EmbeddedPostgres.Start(_folder, NullLogger.Instance);
        var builder = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Password = "wrong" };

        var refused = await Assert.ThrowsAsync<PostgresException>(() => Execute(builder.ConnectionString, "select 1"));

        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task With_statement_tracking_the_cluster_counts_each_statement_it_runs()
    {
        using var cluster = EmbeddedPostgres.Start(_folder, NullLogger.Instance, EmbeddedPostgres.StatementTrackingSettings);
        await cluster.EnsureDatabaseAsync("tracked");
        await cluster.EnsureStatementTrackingAsync("tracked");
        var connectionString = cluster.ConnectionString("tracked");
        await Execute(connectionString, "create table tracked_marker (value int)");
        await Execute(connectionString, "insert into tracked_marker values (1)");
        await Execute(connectionString, "insert into tracked_marker values (2)");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("select calls from pg_stat_statements where query like 'insert into tracked_marker%'", connection);
        Assert.Equal(2L, await read.ExecuteScalarAsync());
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public void Missing_binaries_say_how_to_install_them()
    {
        var empty = Directory.CreateDirectory(_folder).FullName;

        var error = Assert.Throws<EmbeddedPostgresException>(() => PostgresBinaries.Locate([empty]));

        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Gateway", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
