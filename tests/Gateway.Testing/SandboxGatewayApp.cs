using Gateway.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Gateway.Testing;

/// <summary>
/// The gateway as a newcomer's sandbox runs it: the demo partners file
/// (src/Gateway.Api/Demo/partners.json) and its demo keys, on real Kestrel over loopback with a
/// fresh database (one per test class). API only: the demo partners' pull and webhook URLs point at nothing.
/// </summary>
public sealed class SandboxGatewayApp : IAsyncLifetime
{
    /// <summary>The password of the demo operator login "ops" (its passwordEnv, GATEWAY_OPS_PASSWORD), set for the sandbox's /jobs dashboard.</summary>
    public const string OpsPassword = "sandbox operator password";

    private WebApplication? _app;

    /// <summary>The gateway's root (scheme, host, port); the FHIR base is "fhir/" under it.</summary>
    public Uri Root { get; private set; } = null!;

    public Uri TokenEndpoint => new(Root, "auth/token");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("GATEWAY_OPS_PASSWORD", OpsPassword);
        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(SandboxGatewayApp));
        _app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = connectionString,
                ["Gateway:PartnersFile"] = Repository.DemoPartnersFile,
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.Api),
            });
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Root = new Uri(address.TrimEnd('/') + "/");
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
