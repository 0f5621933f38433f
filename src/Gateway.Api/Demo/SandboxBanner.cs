using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Api.Demo;

/// <summary>Once the gateway listens, logs where everything is and how to get a token, in one readable block.</summary>
public static partial class SandboxBanner
{
    public static void PrintWhenStarted(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Sandbox");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is not null)
            {
                LogBanner(logger, Text(new Uri(address.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).TrimEnd('/') + "/")));
            }
        });
    }

    public static string Text(Uri root) => $"""
        Interop Gateway is running.
          FHIR base              {root}fhir
          CapabilityStatement    {root}fhir/metadata
          SMART configuration    {root}fhir/.well-known/smart-configuration
          Token endpoint         {root}auth/token
          OpenAPI (records, token, health)  {root}openapi/v1.json   browse: {root}openapi
          Console                {root}console
          Jobs dashboard         {root}jobs   (operator login, e.g. ops with GATEWAY_OPS_PASSWORD set)
          Health                 {root}health/ready
          A token for the demo GP practice:
            dotnet run --project src/Gateway.Cli -- token --client hillside-emis --keys src/Gateway.Api/Demo/demo-client-keys.private.json --scope "system/ServiceRequest.crs system/Task.rs"
        """;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Banner}")]
    private static partial void LogBanner(ILogger logger, string banner);
}
