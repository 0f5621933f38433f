using Npgsql;

namespace Gateway.Api.Fhir;

/// <summary>
/// Whether a failure means PostgreSQL is away (down, restarting, refusing connections) rather than
/// that the request went wrong: the client gets 503 with Retry-After, not a 500 (issue 17 item 14).
/// </summary>
public static class DatabaseOutage
{
    /// <summary>Seconds a client is asked to wait before sending again.</summary>
    public const int RetryAfterSeconds = 10;

    public static bool Is(Exception exception)
    {
        for (var e = (Exception?)exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // PostgreSQL appendix A: class 08 connection exception, 57P01-57P03 admin/crash
                // shutdown and cannot connect now, 53300 too many connections.
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                        || postgres.SqlState == PostgresErrorCodes.TooManyConnections;
                // Npgsql's own: the server could not be reached, the connection broke or timed out.
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
            }
        }

        return false;
    }
}
