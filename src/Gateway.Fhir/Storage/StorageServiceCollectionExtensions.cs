using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Fhir.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string ConnectionStringName = "Gateway";
    public const string EmbeddedFolderKey = "Gateway:EmbeddedPostgres:Folder";
    public const string EmbeddedDatabase = "gateway";
    public const string TrackStatementsKey = "Gateway:Database:TrackStatements";
    public const string EmbeddedPortKey = "Gateway:Database:EmbeddedPort";
    public const string EmbeddedSharedBuffersKey = "Gateway:EmbeddedPostgres:SharedBuffers";

    // PostgreSQL's own default is 128MB: a 100,000-referral store's index pages then go in and out
    // of the buffers on every write (docs/performance.md, issue 18). Memory is taken as it is used.
    public const string DefaultEmbeddedSharedBuffers = "512MB";

    /// <summary>
    /// PostgreSQL for the store: the server of <c>ConnectionStrings:Gateway</c>, or else an embedded
    /// cluster in <c>Gateway:EmbeddedPostgres:Folder</c> (default <c>.gateway/postgres</c> under the
    /// content root), on loopback port <c>Gateway:Database:EmbeddedPort</c> (a free one when unset), with
    /// <c>Gateway:EmbeddedPostgres:SharedBuffers</c> of shared buffers (default 512MB), that stops with the host. The schema is migrated before the host serves.
    /// <c>Gateway:Database:TrackStatements=true</c> starts the embedded cluster with pg_stat_statements
    /// (docs/performance.md, "Fourth pass"): statement counts and times, for measuring, not for production.
    /// </summary>
    public static IServiceCollection AddGatewayStorage(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            using var loggers = LoggerFactory.Create(logging => logging.AddConsole());
            var folder = configuration[EmbeddedFolderKey] ?? Path.Combine(environment.ContentRootPath, ".gateway", "postgres");
            var trackStatements = configuration.GetValue<bool>(TrackStatementsKey);
            var port = configuration.GetValue<int?>(EmbeddedPortKey);
            if (port is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{EmbeddedPortKey} is {port}; give a TCP port from 1 to 65535, or leave it unset for a free one.");
            }

            var settings = new Dictionary<string, string>(trackStatements ? EmbeddedPostgres.StatementTrackingSettings : [])
            {
                ["shared_buffers"] = configuration[EmbeddedSharedBuffersKey] ?? DefaultEmbeddedSharedBuffers,
                // A new store has no statistics until autovacuum first analyses it, a minute or more
                // after its first rows at PostgreSQL's default: until then every audience refresh
                // was planned blind and walked whole types, about 145 ms a referral bundle instead of
                // a few (docs/performance.md, issue 18's thirteenth pass). Looking every 10 s instead
                // analyses a growing store while it is still small.
                ["autovacuum_naptime"] = "10s",
            };
            var cluster = EmbeddedPostgres.Start(folder, loggers.CreateLogger<EmbeddedPostgres>(), settings, port);
            cluster.EnsureDatabaseAsync(EmbeddedDatabase).GetAwaiter().GetResult();
            if (trackStatements)
            {
                cluster.EnsureStatementTrackingAsync(EmbeddedDatabase).GetAwaiter().GetResult();
            }

            connectionString = cluster.ConnectionString(EmbeddedDatabase);
            // Registered first, so it stops last: after everything that uses the database.
            services.AddHostedService(_ => new EmbeddedPostgresLifetime(cluster));
        }

        services.AddNpgsqlDataSource(WithPreparedStatements(connectionString));
        var warmWrites = configuration.GetValue(WriteConnections.WarmKey, WriteConnections.DefaultWarm);
        if (warmWrites < 0)
        {
            throw new InvalidOperationException($"{WriteConnections.WarmKey} is {warmWrites}; give how many write connections to keep open and prepared (0 or more).");
        }

        var writeConnectionString = WriteConnections.ConnectionString(connectionString, warmWrites);
        services.AddSingleton(_ => new WriteConnections(NpgsqlDataSource.Create(writeConnectionString)));
        services.AddSingleton(_ => new Audit.AuditConnections(NpgsqlDataSource.Create(Audit.AuditConnections.ConnectionString(connectionString))));
        services.AddHostedService<SchemaMigration>();
        // After the migration: the warm-up calls the functions it installs.
        services.AddHostedService(provider => new WriteConnectionWarmup(provider.GetRequiredService<WriteConnections>(), warmWrites,
            provider.GetRequiredService<ILogger<WriteConnectionWarmup>>()));
        return services;
    }

    // The store runs the same few statements on every request. Npgsql's automatic preparation
    // keeps them prepared per connection, so PostgreSQL parses each once instead of on every call
    // (a referral bundle runs about ninety). Plans stay custom, made for each call's values: a
    // generic plan of a search page cannot know how many rows a value matches, and took 400 ms
    // where the custom plan takes 3 ms. A connection string that sets either wins.
    private static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }

        if (string.IsNullOrEmpty(builder.Options))
        {
            builder.Options = "-c plan_cache_mode=force_custom_plan";
        }

        return builder.ConnectionString;
    }

    private sealed class EmbeddedPostgresLifetime(EmbeddedPostgres cluster) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            NpgsqlConnection.ClearAllPools();
            cluster.Dispose();
            return Task.CompletedTask;
        }
    }

    // Hosted services start before Kestrel accepts requests, so no request meets an old schema.
    private sealed class SchemaMigration(NpgsqlDataSource dataSource, ILogger<SchemaMigration> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => SchemaMigrator.MigrateAsync(dataSource, logger, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
