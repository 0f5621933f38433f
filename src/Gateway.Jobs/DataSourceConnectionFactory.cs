using Hangfire.PostgreSql;
using Npgsql;

namespace Gateway.Jobs;

/// <summary>Hangfire's connections from the gateway's own data source: one pool, the embedded cluster or the configured server alike.</summary>
public sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
