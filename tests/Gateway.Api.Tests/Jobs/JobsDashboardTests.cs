using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Testing;

namespace Gateway.Api.Tests.Jobs;

/// <summary>SPEC §8: the Hangfire dashboard at /jobs needs an operator credential.</summary>
public sealed class JobsDashboardTests(JobsGatewayApp gateway) : IClassFixture<JobsGatewayApp>
{
    [Fact]
    public async Task Without_a_credential_the_dashboard_asks_for_one()
    {
        using var anonymous = new HttpClient { BaseAddress = gateway.Root };

        using var response = await anonymous.GetAsync("jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData(TestPartners.OperatorUser, "wrong")]
    [InlineData("somebody", TestPartners.OperatorPassword)]
    public async Task A_wrong_user_or_password_is_refused(string user, string password)
    {
        using var client = Client(user, password);

        using var response = await client.GetAsync("jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_operator_sees_the_dashboard_with_this_process_as_a_server()
    {
        using var client = Client(TestPartners.OperatorUser, TestPartners.OperatorPassword);

        using var response = await client.GetAsync("jobs/servers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"gateway-{Environment.MachineName}-{Environment.ProcessId}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private HttpClient Client(string user, string password)
    {
        var client = new HttpClient { BaseAddress = gateway.Root };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }
}
