using Gateway.Fhir.Storage;
using Npgsql;

namespace Gateway.Fhir.Audit;

/// <summary>
/// The one connection <see cref="AuditWriter"/> stores through, in a pool of its own. On the write
/// pool it could be starved: a response that starts while its request still holds write connections
/// (a streamed batch report holds its chunks' while the first reports go out) waits for its
/// AuditEvent, and with the pool full of such requests the writer got no connection and every one
/// of those responses was withheld. The writer runs one transaction at a time, so one connection is
/// all it needs.
/// </summary>
public sealed class AuditConnections(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>
    /// The write pool's settings (<see cref="WriteConnections.ConnectionString"/>: no reset on
    /// close, statements prepared, PostgreSQL's own plan choice), one connection kept open, and its
    /// own application name (unless the connection string sets one) for pg_stat_activity.
    /// </summary>
    internal static string ConnectionString(string connectionString)
    {
        var named = new NpgsqlConnectionStringBuilder(connectionString).ApplicationName is not null;
        var builder = new NpgsqlConnectionStringBuilder(WriteConnections.ConnectionString(connectionString, warm: 0)) { MinPoolSize = 1, MaxPoolSize = 1 };
        if (!named)
        {
            builder.ApplicationName = "gateway audit";
        }

        return builder.ConnectionString;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
