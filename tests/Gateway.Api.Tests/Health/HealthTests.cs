using System.Net;
using System.Text.Json;
using Gateway.Testing;

namespace Gateway.Api.Tests.Health;

/// <summary>The probes an orchestrator calls, without a token.</summary>
public sealed class HealthTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task Live_answers_while_the_process_runs()
    {
        using var anonymous = new HttpClient { BaseAddress = gateway.Root };

        using var response = await anonymous.GetAsync("health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_checks_postgresql_and_the_hangfire_storage()
    {
        using var anonymous = new HttpClient { BaseAddress = gateway.Root };

        using var response = await anonymous.GetAsync("health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("hangfire").GetProperty("status").GetString());
    }
}
