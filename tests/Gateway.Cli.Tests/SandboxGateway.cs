using System.Text.Json.Nodes;
using Gateway.Api.Hosting;
using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Cli.Tests;

/// <summary>
/// The gateway as the sandbox runs it: the demo partners file (src/Gateway.Api/Demo/partners.json)
/// and demo keys, on Kestrel over loopback with a fresh database. Before it starts, `gateway keys new`
/// makes two keys for the Dutch GP practice (which has no client in the demo) and they are put into
/// its partners file as an operator would, so the wor-export sample's referrals can be made.
/// </summary>
public sealed class SandboxGateway : IAsyncLifetime
{
    public const string DutchGpClient = "de-brug-cli";
    public const string DutchGpRsaClient = "de-brug-rsa";
    public const string OpsPasswordEnv = "GATEWAY_OPS_PASSWORD";
    public const string OpsPassword = "sandbox operator password";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"gateway-cli-{Guid.NewGuid():N}");
    private WebApplication? _app;

    /// <summary>The gateway's root URL, as <c>--gateway</c> takes it.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The demo keys plus the Dutch GP's keys that `keys new` added.</summary>
    public string KeysFile => Path.Combine(_folder, "keys.private.json");

    public string Folder => _folder;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        File.Copy(RepositoryFiles.DemoKeys, KeysFile);
        var partners = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.DemoPartners))!;
        var dutchGp = partners["partners"]!.AsArray().Single(p => (string?)p!["id"] == "de-brug-huisartsen")!;
        foreach (var (client, alg) in new[] { (DutchGpClient, "ES384"), (DutchGpRsaClient, "RS384") })
        {
            var made = await CliRun.RunAsync(["keys", "new", "--client", client, "--alg", alg, "--out", KeysFile]);
            Assert.True(made.ExitCode == 0, made.ToString());
            dutchGp["clients"]!.AsArray().Add(new JsonObject
            {
                ["clientId"] = client,
                ["jwks"] = JsonNode.Parse(made.Output),
                ["scopes"] = "system/Patient.crus system/Consent.crus system/ServiceRequest.crs system/Task.rs",
            });
        }

        var partnersFile = Path.Combine(_folder, "partners.json");
        await File.WriteAllTextAsync(partnersFile, partners.ToJsonString());
        Environment.SetEnvironmentVariable(OpsPasswordEnv, OpsPassword);

        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(SandboxGateway));
        _app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = connectionString,
                ["Gateway:PartnersFile"] = partnersFile,
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.Api),
            });
        });
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>Runs the tool against this gateway with these keys (unless the arguments say otherwise).</summary>
    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(WithDefaults(args));

    public Task<CliRun> RunInTerminalAsync(params string[] args) => CliRun.RunAsync(WithDefaults(args), terminal: true);

    /// <summary>A file for one test to send, written in this fixture's folder.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string[] WithDefaults(string[] args)
    {
        var all = new List<string>(args);
        if (args[0] is "send" or "token" or "trace" && !args.Contains("--gateway"))
        {
            all.AddRange(["--gateway", Url]);
        }

        if (args[0] is "send" or "token" && !args.Contains("--keys"))
        {
            all.AddRange(["--keys", KeysFile]);
        }

        return [.. all];
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
