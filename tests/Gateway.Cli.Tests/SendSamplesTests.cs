namespace Gateway.Cli.Tests;

/// <summary>
/// Issue 10: the CLI round-trips the samples against the sandbox. Each sample is checked offline
/// with `validate` and sent with `send`: valid ones are accepted (exit 0), the deliberately invalid
/// ones come back with their errors (exit 1), and validate finds exactly the content errors the
/// gateway finds; the gateway's only further refusals are of records naming a referral it does not have.
/// </summary>
public sealed class SendSamplesTests(SandboxGateway gateway) : IClassFixture<SandboxGateway>
{
    [Fact]
    public async Task Gp_referral_and_housing_case_updates_are_accepted_and_the_invalid_case_comes_back_with_its_errors()
    {
        var referral = RepositoryFiles.Sample("gp/referral-transaction.json");
        await AssertValidAsync(referral);
        var sent = await gateway.RunAsync("send", referral);
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.StartsWith("HTTP 200 OK", sent.Output, StringComparison.Ordinal);
        Assert.Contains("entry 2: 201", sent.Output, StringComparison.Ordinal);

        foreach (var update in new[] { RepositoryFiles.Sample("housing-case/01-engaged-with-ons4.json"), ClosedYesterday() })
        {
            await AssertValidAsync(update);
            var accepted = await gateway.RunAsync("send", update);
            Assert.True(accepted.ExitCode == 0, accepted.ToString());
            Assert.Contains("accepted", accepted.Output, StringComparison.Ordinal);
            Assert.Contains("Task/", accepted.Output, StringComparison.Ordinal);
        }

        var invalid = RepositoryFiles.Sample("housing-case/04-invalid.json");
        var checkedOffline = await gateway.RunAsync("validate", invalid);
        var refused = await gateway.RunAsync("send", invalid);
        Assert.Equal(1, checkedOffline.ExitCode);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.StartsWith("HTTP 422", refused.Output, StringComparison.Ordinal);
        string[] locations = ["$.tenant.nhsNumber", "$.tenant.dateOfBirth", "$.status", "$.statusChangedAt", "$.wellbeing[0].answers.satisfied"];
        foreach (var location in locations)
        {
            Assert.Contains($"error       {location}  ", refused.Output, StringComparison.Ordinal);
            Assert.Contains($"error       {location}  ", checkedOffline.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Contact_attempted_case_is_accepted_once_it_names_a_real_Task_and_refused_with_the_placeholder()
    {
        var sample = RepositoryFiles.Sample("housing-case/03-contact-attempted-no-consent.json");
        var made = await gateway.RunAsync("send", gateway.WriteFile("referral-03.json", Referrals.HillsideTransaction("9996613186", "1979-11-23", "WS9 0QP", "SP-2026-1203")));
        Assert.True(made.ExitCode == 0, made.ToString());
        var taskId = await Referrals.TaskIdAsync(gateway, "hfactor-crm", Referrals.ServiceRequestId(made));

        // As shipped the sample names a placeholder Task: its content is valid, but the gateway has no such referral.
        await AssertValidAsync(sample);
        var placeholder = await gateway.RunAsync("send", sample);
        Assert.Equal(1, placeholder.ExitCode);
        Assert.Contains("No referral addressed to hfactor-housing matches", placeholder.Output, StringComparison.Ordinal);

        var real = gateway.WriteFile("03-with-task.json", File.ReadAllText(sample).Replace("REPLACE-WITH-TASK-ID", taskId, StringComparison.Ordinal));
        await AssertValidAsync(real);
        var accepted = await gateway.RunAsync("send", real);
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Contains($"Task/{taskId}", accepted.Output, StringComparison.Ordinal);

        // Both in one array (the placeholder under a message id of its own: the two share the sample's):
        // the batch's summary names the rejected record by its place, the second.
        var placeholderRecord = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(sample))!;
        placeholderRecord["messageId"] = Guid.NewGuid().ToString();
        var both = gateway.WriteFile("03-both.json", $"[{File.ReadAllText(real)},{placeholderRecord.ToJsonString()}]");
        var batch = await gateway.RunAsync("send", both);
        Assert.Equal(1, batch.ExitCode);
        Assert.Contains("summary: 0 accepted, 1 unchanged, 1 rejected", batch.Output, StringComparison.Ordinal);
        Assert.Contains("rejected: record 2", batch.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Housing_referral_is_accepted_as_a_ServiceRequest_towards_health()
    {
        var sample = RepositoryFiles.Sample("housing-referral/01-damp-and-breathing.json");
        await AssertValidAsync(sample);
        var sent = await gateway.RunAsync("send", sample);
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Contains("accepted", sent.Output, StringComparison.Ordinal);
        Assert.Contains("ServiceRequest/", sent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wor_export_rows_are_accepted_but_the_two_invalid_ones_with_a_progress_bar_as_the_report_streams()
    {
        string[][] clients =
        [
            ["WOR-2026-0091", "908301662", "de Vries", "1948-02-14", "8261 AB"],
            ["WOR-2026-0092", "131860914", "Jansen", "1985-07-03", "8262 CD"],
            ["WOR-2026-0093", "390996038", "El Amrani", "1962-09-22", "8061 EF"],
            ["WOR-2026-0094", "948219932", "Smit", "1990-12-11", "8281 GH"],
        ];
        foreach (var c in clients)
        {
            var referral = gateway.WriteFile($"{c[0]}.json", Referrals.DutchTransaction(c[0], c[1], c[2], c[3], c[4]));
            var made = await gateway.RunAsync("send", referral, "--client", SandboxGateway.DutchGpClient);
            Assert.True(made.ExitCode == 0, made.ToString());
        }

        var csv = RepositoryFiles.Sample("wor-export/2026-10-31-wor-kampen.csv");
        var checkedOffline = await gateway.RunAsync("validate", csv);
        Assert.Equal(1, checkedOffline.ExitCode);
        Assert.Contains("row 6 (WOR-2026-0096): invalid", checkedOffline.Output, StringComparison.Ordinal);
        Assert.Contains("5 of 6 valid", checkedOffline.Output, StringComparison.Ordinal);

        var sent = await gateway.RunInTerminalAsync("send", csv);
        Assert.True(sent.ExitCode == 1, sent.ToString());
        Assert.Contains("summary: 4 accepted, 0 unchanged, 2 rejected", sent.Output, StringComparison.Ordinal);
        Assert.Contains("rejected   row 5", sent.Output, StringComparison.Ordinal);
        Assert.Contains("unknown-referral at row 5", sent.Output, StringComparison.Ordinal);
        Assert.Contains("rejected   row 6", sent.Output, StringComparison.Ordinal);
        // The gateway's reasons for row 6 are the ones validate gave, column by column.
        foreach (var column in new[] { "geboortedatum", "status", "status_datum", "pg_lichaamsfuncties" })
        {
            Assert.Contains($"row 6, column {column}", checkedOffline.Output, StringComparison.Ordinal);
            Assert.Contains($"at row 6, column {column}:", sent.Output, StringComparison.Ordinal);
        }

        Assert.Contains("] 6/6 records", sent.Error, StringComparison.Ordinal);

        var again = await gateway.RunAsync("send", csv);
        Assert.Contains("summary: 0 accepted, 4 unchanged, 2 rejected", again.Output, StringComparison.Ordinal);
        Assert.Contains("rejected: row 5, row 6", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("records", again.Error, StringComparison.Ordinal);

        // --quiet: a big file's report is the rows that need attention and the summary.
        var quiet = await gateway.RunAsync("send", csv, "--quiet");
        Assert.DoesNotContain("  unchanged  row", quiet.Output, StringComparison.Ordinal);
        Assert.Contains("rejected   row 6", quiet.Output, StringComparison.Ordinal);
        Assert.Contains("summary: 0 accepted, 4 unchanged, 2 rejected", quiet.Output, StringComparison.Ordinal);
        Assert.EndsWith("(4 accepted or unchanged record(s) not listed: --quiet)", quiet.Output.TrimEnd(), StringComparison.Ordinal);
    }

    /// <summary>
    /// housing-case/02 closes the case on 2026-12-20, and the gateway refuses a record dated after its
    /// receipt; sent before that date, it goes with its dates moved to yesterday (still after 01's).
    /// </summary>
    private string ClosedYesterday()
    {
        var yesterday = TimeProvider.System.GetUtcNow().AddDays(-1);
        return gateway.WriteFile("02-closed-yesterday.json", File.ReadAllText(RepositoryFiles.Sample("housing-case/02-closed-completed.json"))
            .Replace("2026-12-20T15:05:00Z", yesterday.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("2026-12-18", yesterday.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    private async Task AssertValidAsync(string file)
    {
        var validated = await gateway.RunAsync("validate", file);
        Assert.True(validated.ExitCode == 0, validated.ToString());
    }
}
