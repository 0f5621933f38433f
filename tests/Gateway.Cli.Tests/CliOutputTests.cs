using System.Globalization;
using System.Text.Json;
using Gateway.Testing;

namespace Gateway.Cli.Tests;

/// <summary>Issue 21, item 6: what the tool prints is read by a person (or, asked, by a script), and says each thing once.</summary>
public sealed class CliOutputTests(SandboxGateway gateway) : IClassFixture<SandboxGateway>
{
    [Fact]
    public async Task A_refused_record_names_each_location_once()
    {
        var refused = await gateway.RunAsync("send", RepositoryFiles.Sample("housing-case/04-invalid.json"));

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("error       $.status  'maybe_later' is not a known status", refused.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("$.status  $.status", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_partners_file_counts_as_many_errors_as_it_lists()
    {
        var partners = gateway.WriteFile("bad-partners.json", """
            { "partners": [ { "id": "a", "kind": "nonsense", "name": "A" }, { "id": "a", "kind": "gp-practice", "name": "A again" } ],
              "operators": [ { "user": "ops" } ] }
            """);

        var validated = await gateway.RunAsync("validate", partners);

        Assert.Equal(1, validated.ExitCode);
        var lines = validated.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var findings = lines.Count(l => l.StartsWith("  error", StringComparison.Ordinal));
        Assert.True(findings >= 2, validated.Output);
        Assert.Equal($"partners file: invalid, {findings} error(s)", lines[0]);
        Assert.DoesNotContain("problem(s)", validated.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_json_prints_the_timeline_for_scripts_and_without_it_lines_for_people()
    {
        var made = await gateway.RunAsync("send", gateway.WriteFile("trace-json.json",
            Referrals.HillsideTransaction(Resources.NewNhsNumber(), "1979-11-23", "WS9 0QP", "SP-JSON-" + Guid.NewGuid().ToString("N")[..8])));
        var taskId = await Referrals.TaskIdAsync(gateway, "hfactor-crm", Referrals.ServiceRequestId(made));

        var json = await gateway.RunAsync("trace", taskId, "--json");
        var lines = await gateway.RunAsync("trace", taskId);

        Assert.True(json.ExitCode == 0, json.ToString());
        using var timeline = JsonDocument.Parse(json.Output);
        Assert.Equal($"Task/{taskId}", timeline.RootElement.GetProperty("task").GetString());
        Assert.Equal("task-version", timeline.RootElement.GetProperty("events")[0].GetProperty("kind").GetString());
        Assert.StartsWith($"Referral Task/{taskId}", lines.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_at_sends_a_record_dated_ahead_as_if_its_change_happened_then()
    {
        var nhs = Resources.NewNhsNumber();
        var made = await gateway.RunAsync("send", gateway.WriteFile("at-referral.json",
            Referrals.HillsideTransaction(nhs, "1979-11-23", "WS9 0QP", "SP-AT-" + Guid.NewGuid().ToString("N")[..8])));
        var taskId = await Referrals.TaskIdAsync(gateway, "hfactor-crm", Referrals.ServiceRequestId(made));
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var ahead = gateway.WriteFile("at-record.json", File.ReadAllText(RepositoryFiles.Sample("housing-case/03-contact-attempted-no-consent.json"))
            .Replace("REPLACE-WITH-TASK-ID", taskId, StringComparison.Ordinal)
            .Replace("9996613186", nhs, StringComparison.Ordinal)
            .Replace("2026-10-03T11:12:00+01:00", tomorrow, StringComparison.Ordinal));
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);

        var refused = await gateway.RunAsync("send", ahead);
        var sent = await gateway.RunAsync("send", ahead, "--at", anHourAgo);
        var again = await gateway.RunAsync("send", ahead, "--at", anHourAgo);

        Assert.Equal(1, refused.ExitCode);
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Contains("  accepted ", sent.Output, StringComparison.Ordinal);
        Assert.Contains("  unchanged ", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_at_refuses_a_file_it_cannot_redate()
    {
        var sent = await gateway.RunAsync("send", RepositoryFiles.Sample("gp/referral-transaction.json"), "--at", "2026-01-01T00:00:00Z");

        Assert.Equal(2, sent.ExitCode);
        Assert.Contains("--at re-dates JSON partner records", sent.Error, StringComparison.Ordinal);
    }
}
