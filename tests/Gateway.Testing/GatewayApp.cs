using Gateway.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Gateway.Testing;

/// <summary>
/// The gateway on real Kestrel over loopback with its own fresh database, one per test class
/// (xunit class fixture). <see cref="Client"/> talks HTTP to it; <see cref="Database"/> lets a
/// test look at what was stored.
/// </summary>
public class GatewayApp : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource Database { get; private set; } = null!;

    /// <summary>The running gateway's services, for tests that call a job or look at Hangfire's storage.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The gateway has not started.");

    /// <summary>The partners of this gateway, with the private keys of their clients.</summary>
    public TestPartners Partners { get; private set; } = null!;

    /// <summary>The partners file this gateway starts with; a fixture may add partners.</summary>
    protected virtual TestPartners CreatePartners() => new();

    /// <summary>The gateway's root (scheme, host, port), e.g. for the token endpoint.</summary>
    public Uri Root { get; private set; } = null!;

    public Uri TokenEndpoint => new(Root, "auth/token");

    /// <summary>Resources per type and versions in all, to tell what a request stored.</summary>
    public Task<ResourceCounts> CountResourcesAsync() => ResourceCounts.ReadAsync(this);

    /// <summary>Services a fixture subclass puts in before the gateway's own (e.g. a <see cref="ManualClock"/> as the TimeProvider).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Called once the gateway serves, before the first client asks for a token.</summary>
    protected virtual void Started()
    {
    }

    /// <summary>Extra configuration a fixture subclass wants (e.g. a small page size).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    public virtual async Task InitializeAsync()
    {
        Partners = CreatePartners();
        ConnectionString = await PostgresCluster.CreateDatabaseAsync(GetType().Name);
        var partnersFile = Path.Combine(Path.GetTempPath(), $"gateway-partners-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(partnersFile, Partners.Json);
        _app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = ConnectionString,
                ["Gateway:PartnersFile"] = partnersFile,
                // Serving the API only, unless a fixture runs jobs (JobsGatewayApp): a Hangfire server per test class would only add load.
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.Api),
                // Test receivers listen on loopback; EndpointGuardTests turn the guard back on.
                [Gateway.Fhir.Subscriptions.EndpointGuard.AllowPrivateKey] = "true",
            };
            foreach (var (key, value) in Settings())
            {
                settings[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            ConfigureServices(builder.Services);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Root = new Uri(address.TrimEnd('/') + "/");
        BaseAddress = new Uri(Root, "fhir/");
        Started();
        Client = await CreateDefaultClientAsync();
        Database = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>
    /// Stores <paramref name="resource"/> as the gateway's own work, through the real store and
    /// workflow, for what no partner may create itself (a Task with no routed referral behind it,
    /// to test search on).
    /// </summary>
    public async Task<T> SeedAsync<T>(T resource) where T : Hl7.Fhir.Model.Resource
    {
        var store = _app!.Services.GetRequiredService<Gateway.Fhir.Storage.ResourceStore>();
        return (T)(await store.WriteAsync(writer => writer.CreateAsync(resource, CancellationToken.None), CancellationToken.None)).Resource!;
    }

    /// <summary>The client <see cref="Client"/> is: the test GP's, unless a fixture with other partners says otherwise.</summary>
    protected virtual Task<HttpClient> CreateDefaultClientAsync() => CreateClientAsync(TestPartners.Gp);

    /// <summary>An HTTP client for the FHIR base carrying an access token of the partner's client, got through the real token endpoint.</summary>
    public async Task<HttpClient> CreateClientAsync(string partner, string scope = "system/*.cruds gateway/records.write")
    {
        var token = await RequestTokenAsync(partner + "-client", scope);
        var client = new HttpClient(new NoServerErrorsHandler()) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>Asks the token endpoint for an access token with a freshly signed assertion; fails unless it is granted.</summary>
    public Task<string> RequestTokenAsync(string clientId, string scope) => Partners.RequestTokenAsync(TokenEndpoint, clientId, scope);

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Database.DisposeAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
