using System.Text.Json;
using Gateway.Api.Tests.Records;
using Gateway.Jobs.PartnerSync;
using Gateway.Testing;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.PartnerSync;

/// <summary>SPEC §6: the welfare organisation's wor-export files, dropped in its watched folder.</summary>
public sealed class DropFolderTests(PartnerSyncGateway gateway) : IClassFixture<PartnerSyncGateway>
{
    private const string SampleName = "2026-10-31-wor-kampen.csv";
    private readonly string _dropJob = DropFolderJob.RecurringId(TestPartners.Welfare);

    [Fact]
    public async Task The_sample_ends_in_failed_with_its_report_rows_1_to_4_applied_a_part_file_left_and_a_second_drop_changes_nothing()
    {
        var dutchGp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        var requests = await WorExportReferrals.CreateAsync(dutchGp);
        var sample = Samples.Read("wor-export/" + SampleName);
        var folder = gateway.DropFolder;
        await File.WriteAllTextAsync(Path.Combine(folder, "still-uploading.csv.part"), sample);
        await File.WriteAllTextAsync(Path.Combine(folder, SampleName), sample);

        await HangfireJobs.RunAsync(gateway, _dropJob);

        Assert.False(File.Exists(Path.Combine(folder, SampleName)));
        Assert.True(File.Exists(Path.Combine(folder, "failed", SampleName)));
        Assert.True(File.Exists(Path.Combine(folder, "still-uploading.csv.part")));
        var report = await ReportAsync("failed", SampleName);
        var rows = report.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal(["accepted", "accepted", "accepted", "accepted", "rejected", "rejected"], rows.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Contains(rows[4].GetProperty("issues").EnumerateArray(), i => i.GetProperty("location").GetString() == "row 5, column verwijzing_id");
        Assert.Equal(2, report.GetProperty("summary").GetProperty("rejected").GetInt32());
        Assert.Equal(FhirTask.TaskStatus.Completed, (await dutchGp.ReferralTaskAsync(requests["WOR-2026-0093"])).Status);
        Assert.Equal(FhirTask.TaskStatus.Failed, (await dutchGp.ReferralTaskAsync(requests["WOR-2026-0094"])).Status);

        // Rows 1 to 4 again, in a file of their own: nothing rejected, so processed/, and nothing changed.
        var before = await gateway.CountResourcesAsync();
        const string again = "rows-1-to-4.csv";
        await File.WriteAllTextAsync(Path.Combine(folder, again), sample[..sample.IndexOf("WOR-2026-9999", StringComparison.Ordinal)]);

        await HangfireJobs.RunAsync(gateway, _dropJob);

        Assert.True(File.Exists(Path.Combine(folder, "processed", again)));
        var second = await ReportAsync("processed", again);
        Assert.Equal(["unchanged", "unchanged", "unchanged", "unchanged"], second.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(before, await gateway.CountResourcesAsync());
        Assert.True(File.Exists(Path.Combine(folder, "still-uploading.csv.part")));
    }

    [Fact]
    public async Task A_file_with_a_bsn_column_is_refused_whole_into_failed_saying_why()
    {
        const string name = "with-bsn.csv";
        await File.WriteAllTextAsync(Path.Combine(gateway.DropFolder, name), "verwijzing_id;bsn\nWOR-1;123456782\n");

        await HangfireJobs.RunAsync(gateway, _dropJob);

        var report = await ReportAsync("failed", name);
        Assert.Contains(report.GetProperty("refused").EnumerateArray(), i => i.GetProperty("location").GetString()!.Contains("bsn", StringComparison.Ordinal));
        Assert.Empty(report.GetProperty("records").EnumerateArray());
    }

    private async Task<JsonElement> ReportAsync(string outcome, string file)
    {
        var path = Path.Combine(gateway.DropFolder, outcome, file + DropFolderJob.ReportSuffix);
        Assert.True(File.Exists(path), $"No report at {path}");
        return JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement.Clone();
    }
}
