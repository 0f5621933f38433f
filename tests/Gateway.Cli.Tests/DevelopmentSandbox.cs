using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Api.Hosting;
using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Cli.Tests;

/// <summary>
/// The gateway as <c>dotnet run --project src/Gateway.Api</c> starts it (the Development
/// environment, demo seed on) in a folder laid out as the repository is (content root
/// <c>src/Gateway.Api</c>, the demo keys in its <c>Demo/</c>), on a free port, with no operator
/// password set: its operator's password variable is one nobody else sets.
/// </summary>
public sealed class DevelopmentSandbox : IAsyncLifetime
{
    public string PasswordEnv { get; } = "GATEWAY_TEST_OPS_" + Guid.NewGuid().ToString("N");
    private WebApplication? _app;

    /// <summary>The folder standing for the repository root: commands run from here as the README says.</summary>
    public string RepositoryRoot { get; } = Path.Combine(Path.GetTempPath(), $"gateway-devsandbox-{Guid.NewGuid():N}");

    public string ContentRoot => Path.Combine(RepositoryRoot, "src", "Gateway.Api");

    public string SandboxFile => Path.Combine(ContentRoot, ".gateway", "sandbox.json");

    public string Url { get; private set; } = "";

    public CapturedLogs Logs { get; } = new();

    /// <summary>The banner the gateway logged once it listened.</summary>
    public string Banner => Logs.Entries.Single(e => e.Category == "Gateway.Sandbox" && e.Message.StartsWith("Interop Gateway is running.", StringComparison.Ordinal)).Message;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(ContentRoot, "Demo"));
        File.Copy(RepositoryFiles.DemoKeys, Path.Combine(ContentRoot, "Demo", "demo-client-keys.private.json"));
        var partners = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.DemoPartners))!;
        partners["operators"]![0]!["passwordEnv"] = PasswordEnv;
        var partnersFile = Path.Combine(ContentRoot, "Demo", "partners.json");
        await File.WriteAllTextAsync(partnersFile, partners.ToJsonString());

        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(DevelopmentSandbox));
        _app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development", "--contentRoot", ContentRoot], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = connectionString,
                ["Gateway:PartnersFile"] = partnersFile,
                ["Gateway:Demo:Seed"] = "true",
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.Api),
            });
            builder.Logging.AddProvider(Logs);
        });
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>
    /// Runs a shell command line as a newcomer would paste it, in <paramref name="folder"/> (the
    /// repository root by default), with <c>dotnet run --project src/Gateway.Cli --</c> standing for
    /// the built tool and none of the test process's gateway variables.
    /// </summary>
    public async Task<CliRun> PasteAsync(string commandLine, string? folder = null, IDictionary<string, string>? environment = null)
    {
        var tool = $"dotnet {Repository.BuiltFile("Gateway.Cli", "gateway.dll")}";
        var start = new ProcessStartInfo("bash") { WorkingDirectory = folder ?? RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine.Replace("dotnet run --project src/Gateway.Cli --", tool, StringComparison.Ordinal));
        foreach (var name in new[] { "GATEWAY_URL", "GATEWAY_OPS_PASSWORD", PasswordEnv })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return new CliRun(bash.ExitCode, await output, await errors);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(RepositoryRoot, recursive: true);
    }
}
