using Gateway.Fhir.Measures;
using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Jobs.Measures;

/// <summary>
/// Folds the versions written since the last catch-up into the Measures' fact tables
/// (<see cref="KeptFacts"/>; recurring, <c>Gateway:Jobs:MeasureFactsSchedule</c>), so the queue
/// stays short and an evaluation's own catch-up has little left to do.
/// </summary>
public sealed class MeasureFactsJob(NpgsqlDataSource dataSource, ILogger<MeasureFactsJob> logger)
{
    public const string Id = "measure-facts";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<long> RunAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var folded = await KeptFacts.CatchUpAsync(connection, ct);
        if (folded > 0)
        {
            logger.LogInformation("Folded {Versions} stored versions into the Measures' facts", folded);
        }

        return folded;
    }
}
