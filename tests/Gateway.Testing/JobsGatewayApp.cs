namespace Gateway.Testing;

/// <summary>A gateway that serves the API and runs its Hangfire jobs too, polling often so job tests are quick.</summary>
public class JobsGatewayApp : GatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new(Gateway.Jobs.GatewayRoles.Key, nameof(Gateway.Jobs.GatewayRole.All)),
        new("Gateway:Jobs:PollInterval", "00:00:00.200"),
        new("Gateway:Jobs:WorkerCount", "2"),
    ];
}
