using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fhir.Measures;

/// <summary><c>Gateway:Measures</c>: what the outcome reports show (the monthly job's schedule is Gateway:Jobs:MeasureReportsSchedule).</summary>
public sealed class MeasuresOptions
{
    public const string Section = "Gateway:Measures";

    /// <summary>Operators see the suppressed figures commissioners see (issue 19) unless this is true.</summary>
    public bool OperatorsSeeUnsuppressed { get; set; }
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
