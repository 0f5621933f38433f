using System.Net;
using System.Net.Sockets;
using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Api.Tests.Smart;

/// <summary>A gateway whose partners file registers one client's keys by URL; the keys are served on loopback by the fixture.</summary>
public sealed class JwksUrlGateway : GatewayApp
{
    private readonly int _port = FreePort();
    private WebApplication? _keyServer;

    public int KeyRequests { get; private set; }

    protected override TestPartners CreatePartners()
    {
        var partners = new TestPartners(new Uri($"http://127.0.0.1:{_port}/jwks"));
        var builder = WebApplication.CreateSlimBuilder(["--urls", $"http://127.0.0.1:{_port}"]);
        _keyServer = builder.Build();
        _keyServer.MapGet("/jwks", () =>
        {
            KeyRequests++;
            return Results.Text(partners.PublishedJwks!, "application/json");
        });
        _keyServer.StartAsync().GetAwaiter().GetResult();
        return partners;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_keyServer is not null)
        {
            await _keyServer.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class JwksUrlTests(JwksUrlGateway gateway) : IClassFixture<JwksUrlGateway>
{
    [Fact]
    public async Task A_client_whose_keys_are_published_by_url_gets_tokens_and_the_keys_are_cached()
    {
        var first = await gateway.RequestTokenAsync(TestPartners.KeysByUrl + "-client", "system/Patient.rs");
        var second = await gateway.RequestTokenAsync(TestPartners.KeysByUrl + "-client", "system/Patient.rs");

        Assert.NotEqual(first, second);
        Assert.Equal(1, gateway.KeyRequests);
    }
}
