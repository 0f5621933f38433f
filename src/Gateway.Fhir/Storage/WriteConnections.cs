using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The connections <see cref="ResourceStore.WriteAsync{T}"/> runs its transactions on: a pool of
/// their own, so a write pays neither a statement to change the plan mode nor the session reset
/// of a pooled connection (issue 18, docs/performance.md "Cheaper single writes").
/// </summary>
public sealed class WriteConnections(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public const string WarmKey = "Gateway:Database:WarmWriteConnections";

    /// <summary>Connections kept open and prepared at start when <see cref="WarmKey"/> is unset.</summary>
    public const int DefaultWarm = 16;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>
    /// The write pool's connection string, from the one searches use (before their own options):
    /// <list type="bullet">
    /// <item>PostgreSQL's own plan choice (plan_cache_mode auto): a write's statements have a fixed
    /// shape and look rows up by key, id or identifier, where no value can mislead the planner, so
    /// after five custom plans the generic one saves planning them on every write. Searches keep
    /// force_custom_plan on their pool. A connection string that sets Options keeps them here too.</item>
    /// <item>No reset on close: every write is one transaction that sets only <c>set local</c>
    /// values and takes only transaction-scoped locks, so a returned connection holds no session
    /// state; the reset would be seven statements more per write (DISCARD ALL, spelled out to keep
    /// the prepared statements).</item>
    /// <item>A minimum pool of <paramref name="warm"/> connections, which
    /// <see cref="WriteConnectionWarmup"/> prepares at start.</item>
    /// <item>Its own application name (unless the connection string sets one), so pg_stat_activity
    /// tells the two pools apart.</item>
    /// </list>
    /// </summary>
    internal static string ConnectionString(string connectionString, int warm)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        builder.MinPoolSize = Math.Max(builder.MinPoolSize, warm);
        builder.ApplicationName ??= "gateway writes";
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
