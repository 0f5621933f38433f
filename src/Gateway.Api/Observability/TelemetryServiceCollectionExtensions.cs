using Gateway.Fhir.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Api.Observability;

public static class TelemetryServiceCollectionExtensions
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "interop-gateway";

    /// <summary>
    /// OpenTelemetry, only where there is somewhere to send it (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
    /// with the other standard <c>OTEL_*</c> variables): traces of requests, PostgreSQL commands and
    /// jobs; metrics of requests (ASP.NET Core's), Npgsql and the gateway's own <c>Gateway</c> Meter;
    /// logs. Without it nothing is collected, and the instruments cost next to nothing.
    /// </summary>
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddNpgsql().AddSource(GatewayTelemetry.Name))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter("Npgsql", GatewayTelemetry.Name))
            // The scopes carry the request's correlation id and a job's ids.
            .WithLogging(configureBuilder: null, configureOptions: logging => logging.IncludeScopes = true)
            .UseOtlpExporter();
        return services;
    }
}
