namespace Gateway.Cli.Tests;

/// <summary>`gateway trace` prints a referral's history from the operator console's timeline.</summary>
public sealed class TraceTests(SandboxGateway gateway) : IClassFixture<SandboxGateway>
{
    [Fact]
    public async Task Trace_shows_the_Task_versions_and_the_partner_record_of_a_sent_referral()
    {
        var made = await gateway.RunAsync("send", gateway.WriteFile("referral.json",
            Referrals.HillsideTransaction("9996613186", "1979-11-23", "WS9 0QP", "SP-2026-2001")));
        var taskId = await Referrals.TaskIdAsync(gateway, "hfactor-crm", Referrals.ServiceRequestId(made));
        var update = gateway.WriteFile("contact.json", File.ReadAllText(RepositoryFiles.Sample("housing-case/03-contact-attempted-no-consent.json"))
            .Replace("REPLACE-WITH-TASK-ID", taskId, StringComparison.Ordinal));
        Assert.Equal(0, (await gateway.RunAsync("send", update)).ExitCode);

        var trace = await gateway.RunAsync("trace", taskId);

        Assert.True(trace.ExitCode == 0, trace.ToString());
        Assert.StartsWith($"Referral Task/{taskId} for ServiceRequest/", trace.Output, StringComparison.Ordinal);
        var versions = trace.Output.Split('\n').Where(l => l.Contains("  task-version  ", StringComparison.Ordinal)).ToList();
        Assert.True(versions.Count >= 2, trace.Output);
        Assert.Contains("  record  ", trace.Output, StringComparison.Ordinal);
        Assert.Contains("housing-case/v1", trace.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_operator_password_and_an_unknown_referral_are_said_plainly()
    {
        var unknown = await gateway.RunAsync("trace", "no-such-task");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No referral Task matches 'no-such-task'", unknown.Error, StringComparison.Ordinal);

        var wrong = await gateway.RunAsync("trace", "no-such-task", "--password-env", "GATEWAY_CLI_TEST_WRONG_PASSWORD");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("Set the operator's password in the environment variable GATEWAY_CLI_TEST_WRONG_PASSWORD", wrong.Error, StringComparison.Ordinal);
    }
}
