using Gateway.Api.Demo;
using Gateway.Api.Hosting;
using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// The sandbox as a newcomer starts it, demo data and jobs included (unlike <see cref="SandboxGatewayApp"/>,
/// which is API only and empty): what the console home and /jobs show on a first look.
/// </summary>
public sealed class DemoConsoleApp : IAsyncLifetime
{
    public const string OpsUser = "ops";

    private WebApplication? _app;

    public Uri Root { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("GATEWAY_OPS_PASSWORD", SandboxGatewayApp.OpsPassword);
        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(DemoConsoleApp));
        _app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = connectionString,
                ["Gateway:PartnersFile"] = Repository.DemoPartnersFile,
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.All),
                [DemoSeed.SettingKey] = "true",
                [DemoSeed.HistoryKey] = "true",
                // As appsettings.Development.json: the sandbox's operators see the demo's outcomes unsuppressed.
                ["Gateway:Measures:OperatorsSeeUnsuppressed"] = "true",
            }));
        await _app.StartAsync();
        // The year of history is seeded after the start (DemoSeed.History): the charts need all of it.
        await _app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DemoSeed>().Single().History;
        Root = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
