using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>The guides' shell sessions against the gateways the tests start, with what a reader of the sandbox has (its operator password).</summary>
public static class GuideSessions
{
    /// <summary>Against the empty in-process sandbox (no demo referrals, no jobs).</summary>
    public static GuideShell Sandbox(SandboxGatewayApp gateway) => WithOperator(new GuideShell(gateway.Root), SandboxGatewayApp.OpsPassword);

    /// <summary>Against a gateway process (the README's sandbox, seeded, perhaps running jobs).</summary>
    public static GuideShell Process(GatewayProcess gateway) => new(new Uri(gateway.BaseAddress, ".."));

    private static GuideShell WithOperator(GuideShell shell, string password)
    {
        shell.Environment["GATEWAY_OPS_PASSWORD"] = password;
        return shell;
    }
}
