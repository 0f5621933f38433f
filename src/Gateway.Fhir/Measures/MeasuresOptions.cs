using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fhir.Measures;

/// <summary><c>Gateway:Measures</c>: what the outcome reports show and when the monthly ones are made.</summary>
public sealed class MeasuresOptions
{
    public const string Section = "Gateway:Measures";

    /// <summary>Operators see the suppressed figures commissioners see (issue 19) unless this is true.</summary>
    public bool OperatorsSeeUnsuppressed { get; set; }

    /// <summary>When the monthly MeasureReports of last month are made (cron, UTC): the first of the month, 03:00.</summary>
    public string MonthlySchedule { get; set; } = "0 3 1 * *";
}

public static class MeasuresServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayMeasures(this IServiceCollection services)
    {
        services.AddOptions<MeasuresOptions>().BindConfiguration(MeasuresOptions.Section);
        services.AddSingleton<MeasureEvaluator>();
        return services;
    }
}
