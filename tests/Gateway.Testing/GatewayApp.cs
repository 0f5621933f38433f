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

    /// <summary>Resources per type and versions in all, to tell what a request stored.</summary>
    public Task<ResourceCounts> CountResourcesAsync() => ResourceCounts.ReadAsync(this);

    /// <summary>Extra configuration a fixture subclass wants (e.g. a small page size).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresCluster.CreateDatabaseAsync(GetType().Name);
        _app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(
                new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = ConnectionString }.Concat(Settings()));
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/fhir/");
        Client = new HttpClient(new NoServerErrorsHandler()) { BaseAddress = BaseAddress };
        Database = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
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
