namespace Gateway.Jobs;

/// <summary>
/// What one gateway process does (SPEC §2, <c>Gateway:Role</c>): serve the API, run the jobs, or
/// both. Several processes share one PostgreSQL; Hangfire hands each job to exactly one of the
/// processes that run jobs.
/// </summary>
public enum GatewayRole
{
    All,
    Api,
    Jobs,
}

public static class GatewayRoles
{
    public const string Key = "Gateway:Role";

    public static bool ServesApi(this GatewayRole role) => role is GatewayRole.All or GatewayRole.Api;

    public static bool RunsJobs(this GatewayRole role) => role is GatewayRole.All or GatewayRole.Jobs;
}
