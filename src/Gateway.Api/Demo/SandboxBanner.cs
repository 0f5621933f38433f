using Gateway.Fhir.Partners;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Api.Demo;

/// <summary>
/// Once the gateway listens, logs where everything is and how to get a token, in one readable
/// block whose commands work pasted at the repository root. In Development it also writes
/// <see cref="SandboxFile"/> for the command-line tool, and removes it at stop.
/// </summary>
public static partial class SandboxBanner
{
    public static void PrintWhenStarted(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Sandbox");
        // Now, before the first request: the development password must be in place when the console is first opened.
        var operators = OperatorPasswords.Prepare(app.Services.GetRequiredService<PartnerDirectory>(), app.Environment);
        if (!operators.LoginOn)
        {
            LogLoginOff(logger, string.Join(" ", operators.BannerLines()));
        }

        var sandboxFile = app.Environment.IsDevelopment() ? SandboxFile.PathIn(app.Environment) : null;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null)
            {
                return;
            }

            var root = new Uri(address.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).TrimEnd('/') + "/");
            if (sandboxFile is not null)
            {
                var generated = operators.Operators.FirstOrDefault(o => o.Generated is not null && o.Commissioner is null);
                new SandboxFile(root.ToString(), generated?.User, generated?.Generated).Write(sandboxFile);
            }

            LogBanner(logger, Text(root, operators, app.Configuration.GetValue<bool>(DemoSeed.SettingKey)));
        });
        if (sandboxFile is not null)
        {
            app.Lifetime.ApplicationStopping.Register(() => File.Delete(sandboxFile));
        }
    }

    /// <param name="demoSeeded">The demo referrals are seeded: only then is there SP-DEMO-0003 to trace.</param>
    public static string Text(Uri root, OperatorPasswords operators, bool demoSeeded)
    {
        ArgumentNullException.ThrowIfNull(operators);
        var cli = "dotnet run --project src/Gateway.Cli --";
        var trace = demoSeeded && operators.Operators.FirstOrDefault(o => o.Generated is not null && o.Commissioner is null) is { } generated
            ? $"{cli} trace SP-DEMO-0003 --gateway {root} --user {generated.User}"
            : null;
        var lines = new List<string>
        {
            "Interop Gateway is running.",
            $"  Start page             {root}",
            $"  FHIR base              {root}fhir",
            $"  CapabilityStatement    {root}fhir/metadata",
            $"  SMART configuration    {root}fhir/.well-known/smart-configuration",
            $"  Token endpoint         {root}auth/token",
            $"  OpenAPI (records, token, health)  {root}openapi/v1.json   browse: {root}openapi",
            $"  Console                {root}console",
            $"  Jobs dashboard         {root}jobs",
            $"  Health                 {root}health/ready",
        };
        lines.AddRange(operators.BannerLines().Select(l => "  " + l));
        lines.Add("  A token for the demo GP practice (at the repository root):");
        lines.Add($"    {cli} token --gateway {root} --client hillside-emis --scope \"system/ServiceRequest.crs system/Task.rs\"");
        if (trace is not null)
        {
            lines.Add("  A demo referral's history (operator):");
            lines.Add("    " + trace);
        }

        return string.Join(Environment.NewLine, lines);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Banner}")]
    private static partial void LogBanner(ILogger logger, string banner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The operator console and /jobs let nobody in. {Reason}")]
    private static partial void LogLoginOff(ILogger logger, string reason);
}
