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
    Worker,
}

public static class GatewayRoles
{
    public const string Key = "Gateway:Role";

    /// <summary>The names <c>Gateway:Role</c> accepts; <c>jobs</c> is the earlier name of <c>worker</c>, kept so existing deployments start.</summary>
    public static readonly IReadOnlyDictionary<string, GatewayRole> Names = new Dictionary<string, GatewayRole>(StringComparer.OrdinalIgnoreCase)
    {
        ["all"] = GatewayRole.All,
        ["api"] = GatewayRole.Api,
        ["worker"] = GatewayRole.Worker,
        ["jobs"] = GatewayRole.Worker,
    };

    /// <summary>The role a setting names; not set means <see cref="GatewayRole.All"/>. Anything else stops the start with a message naming the setting.</summary>
    public static GatewayRole Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? GatewayRole.All
        : Names.TryGetValue(value.Trim(), out var role) ? role
        : throw new InvalidOperationException($"{Key} is '{value}', which is not a role: use all, api or worker (jobs is accepted as another name for worker).");

    public static bool ServesApi(this GatewayRole role) => role is GatewayRole.All or GatewayRole.Api;

    public static bool RunsJobs(this GatewayRole role) => role is GatewayRole.All or GatewayRole.Worker;
}
