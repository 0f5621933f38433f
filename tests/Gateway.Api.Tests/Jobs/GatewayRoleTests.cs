using Gateway.Jobs;

namespace Gateway.Api.Tests.Jobs;

/// <summary>SPEC §2: one binary, three roles (Gateway:Role): all, api, worker; jobs is kept as the earlier name of worker.</summary>
public sealed class GatewayRoleTests
{
    [Theory]
    [InlineData(null, GatewayRole.All)]
    [InlineData("all", GatewayRole.All)]
    [InlineData("api", GatewayRole.Api)]
    [InlineData("worker", GatewayRole.Worker)]
    [InlineData("Worker", GatewayRole.Worker)]
    [InlineData("jobs", GatewayRole.Worker)]
    public void A_role_name_gives_its_role(string? name, GatewayRole role) => Assert.Equal(role, GatewayRoles.Parse(name));

    [Fact]
    public void Only_a_worker_or_all_runs_jobs_and_only_api_or_all_serves_the_api()
    {
        Assert.Equal([GatewayRole.All, GatewayRole.Worker], Enum.GetValues<GatewayRole>().Where(r => r.RunsJobs()));
        Assert.Equal([GatewayRole.All, GatewayRole.Api], Enum.GetValues<GatewayRole>().Where(r => r.ServesApi()));
    }

    [Fact]
    public void An_unknown_role_stops_the_start_naming_the_setting_and_the_roles()
    {
        var problem = Assert.Throws<InvalidOperationException>(() => GatewayRoles.Parse("both"));

        Assert.Contains("Gateway:Role", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'both'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("all, api or worker", problem.Message, StringComparison.Ordinal);
    }
}
