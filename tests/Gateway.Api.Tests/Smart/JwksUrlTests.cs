using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Smart;

/// <summary>A gateway whose partners file registers one client's keys by URL; the keys are served on loopback by the fixture.</summary>
public sealed class JwksUrlGateway : GatewayApp
{
    private WebApplication? _keyServer;

    public int KeyRequests { get; private set; }

    protected override TestPartners CreatePartners()
    {
        // The key server starts first on port 0 (Kestrel picks a free port), so the partners file can name its address.
        TestPartners? partners = null;
        _keyServer = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]).Build();
        _keyServer.MapGet("/jwks", () =>
        {
            KeyRequests++;
            return Results.Text(partners!.PublishedJwks!, "application/json");
        });
        _keyServer.StartAsync().GetAwaiter().GetResult();
        var address = _keyServer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        partners = new TestPartners(new Uri(address.TrimEnd('/') + "/jwks"));
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
