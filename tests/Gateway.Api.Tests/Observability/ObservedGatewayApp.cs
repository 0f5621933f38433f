using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Api.Tests.Observability;

/// <summary>A gateway running its jobs too, whose log entries (with their scopes) the tests can read.</summary>
public sealed class ObservedGatewayApp : JobsGatewayApp
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);

    // The endpoint middleware's "Executing endpoint" line is written inside the request's pipeline.
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointMiddleware", "Information")];
}
