using Npgsql;

namespace Gateway.Fhir.Measures;

/// <summary>
/// The facts the Measures count are derived after the writes that change them
/// (Measures/Kept/MeasureFacts.sql): each write notes its new versions, and a catch-up folds what
/// is noted into the fact tables. An evaluation catches up first, so it counts every write
/// committed before it; a recurring job keeps the queue short in between.
/// </summary>
public static class KeptFacts
{
    // A store's first catch-up after a large file folds hundreds of thousands of versions.
    private const int CommandTimeoutSeconds = 600;

    /// <summary>Folds every noted version into the fact tables; returns how many were folded.</summary>
    public static async Task<long> CatchUpAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select measure_facts_catch_up()", connection) { CommandTimeout = CommandTimeoutSeconds };
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
