using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Api.Hosting;
using Gateway.Fhir.Storage;
using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Api.Tests.Storage;

/// <summary>
/// Issue 17 item 16: with no connection string, <c>Gateway:Database:EmbeddedPort</c> sets the embedded PostgreSQL's port;
/// issue 18: <c>Gateway:EmbeddedPostgres:SharedBuffers</c> its shared buffers, and autovacuum looks for
/// tables to analyse every 10 s, so a new store is planned with statistics while it is still small.
/// </summary>
public sealed class EmbeddedPortTests : IDisposable
{
    // /tmp: when tests run as root the cluster runs as 'postgres', which must reach it.
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gateway-embedded-port-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_embedded_PostgreSQL_listens_on_the_configured_port_with_the_configured_shared_buffers_and_analyses_every_10_seconds()
    {
        var port = FreePort();
        var partnersFile = Path.Combine(_folder, "partners.json");
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(partnersFile, new TestPartners().Json);
        await using var app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:PartnersFile"] = partnersFile,
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.Api),
                [StorageServiceCollectionExtensions.EmbeddedFolderKey] = Path.Combine(_folder, "postgres"),
                ["Gateway:Database:EmbeddedPort"] = port.ToString(CultureInfo.InvariantCulture),
                [StorageServiceCollectionExtensions.EmbeddedSharedBuffersKey] = "192MB",
            }));
        await app.StartAsync();
        try
        {
            await using var command = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select current_setting('port')");

            Assert.Equal(port.ToString(CultureInfo.InvariantCulture), await command.ExecuteScalarAsync());
            await using var buffers = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select current_setting('shared_buffers')");
            Assert.Equal("192MB", await buffers.ExecuteScalarAsync());
            await using var naptime = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select current_setting('autovacuum_naptime')");
            Assert.Equal("10s", await naptime.ExecuteScalarAsync());
        }
        finally
        {
            await app.StopAsync();
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
