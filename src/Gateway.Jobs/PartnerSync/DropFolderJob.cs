using System.Text.Json;
using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Mapping;
using Gateway.Mapping.WorExport;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Jobs.PartnerSync;

/// <summary>
/// Takes the complete files out of a partner's drop folder (partners file <c>dropFolder</c>) and
/// processes each as a batch: <c>.csv</c> as wor-export/v1, <c>.json</c> as one record or an array
/// of them. Files still being written are left alone: names ending <c>.part</c> or <c>.tmp</c>, and
/// files modified within <see cref="JobsOptions.DropFolderSettle"/> seconds. Each file goes to
/// <c>processed/</c> (every record accepted or unchanged) or <c>failed/</c> (any rejected, or the
/// file refused whole) with its report beside it. Records are idempotent by key, so a file dropped
/// again, or one left behind by a crash mid-file, changes nothing it already did.
/// </summary>
public sealed class DropFolderJob(
    PartnerDirectory partners, RecordProcessor processor, NpgsqlDataSource dataSource, JobsOptions options,
    IHostEnvironment environment, TimeProvider clock, ILogger<DropFolderJob> logger)
{
    public const string ProcessedFolder = "processed";
    public const string FailedFolder = "failed";
    public const string ReportSuffix = ".report.json";

    public static string RecurringId(string partnerId) => $"drop-folder:{partnerId}";

    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Drop folder of {0}")]
    public async Task RunAsync(string partnerId, CancellationToken ct)
    {
        var partner = partners.Find(partnerId);
        if (partner?.DropFolder is not { } dropFolder)
        {
            logger.LogWarning("Partner {Partner} has no drop folder any more; nothing done.", partnerId);
            return;
        }

        await using var held = await PartnerLock.TryTakeAsync(dataSource, RecurringId(partnerId), ct);
        if (held is null)
        {
            return;
        }

        var folder = Path.Combine(options.DropFolderRoot ?? environment.ContentRootPath, dropFolder);
        Directory.CreateDirectory(folder);
        var caller = PartnerCaller.For(partner, PartnerCaller.DropFolder);
        foreach (var file in ReadyFiles(folder))
        {
            await ProcessFileAsync(caller, folder, file, ct);
        }
    }

    private List<string> ReadyFiles(string folder)
    {
        var settledBefore = clock.GetUtcNow() - TimeSpan.FromSeconds(options.DropFolderSettle);
        return Directory.EnumerateFiles(folder)
            .Where(path => !path.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
                && !path.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
                && !path.EndsWith(ReportSuffix, StringComparison.OrdinalIgnoreCase)
                && !Path.GetFileName(path).StartsWith('.')
                && new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) <= settledBefore)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private async Task ProcessFileAsync(CallingPartner caller, string folder, string path, CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        var report = new DropFileReport(name, extension == ".csv" ? WorExportCsvReader.Format : null);
        switch (extension)
        {
            case ".csv":
                await ReadCsvAsync(caller, path, report, ct);
                break;
            case ".json":
                await ReadJsonAsync(caller, path, report, ct);
                break;
            default:
                report.Refuse([new RecordIssue(RecordIssueCode.InvalidFormat, name, "A drop folder takes .csv (wor-export/v1) and .json (one record or an array of records) files.")]);
                break;
        }

        var target = Path.Combine(folder, report.AllAccepted ? ProcessedFolder : FailedFolder);
        Directory.CreateDirectory(target);
        // The report first: should the move fail, the file is simply processed again (idempotent) on the next run.
        await File.WriteAllTextAsync(Path.Combine(target, name + ReportSuffix), report.ToJson(), ct);
        File.Move(path, Path.Combine(target, name), overwrite: true);
        logger.LogInformation("Drop folder of {Partner}: {File} processed, moved to {Target}.", caller.PartnerId, name, target);
    }

    private async Task ReadCsvAsync(CallingPartner caller, string path, DropFileReport report, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        try
        {
            await foreach (var record in processor.ReceiveCsvAsync(caller, file, "drop-folder", ct))
            {
                report.Add(record);
            }
        }
        catch (RecordFileException refused)
        {
            report.Refuse(refused.Issues);
        }
    }

    private async Task ReadJsonAsync(CallingPartner caller, string path, DropFileReport report, CancellationToken ct)
    {
        List<string> records;
        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path, ct));
            records = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList()
                : [document.RootElement.GetRawText()];
        }
        catch (JsonException malformed)
        {
            report.Refuse([new RecordIssue(RecordIssueCode.InvalidFormat, "$",
                $"The file is not valid JSON (line {malformed.LineNumber + 1}, byte {malformed.BytePositionInLine + 1}): {malformed.Message}")]);
            return;
        }

        await foreach (var record in processor.ReceiveJsonManyAsync(caller, records, "drop-folder", ct))
        {
            report.Add(record);
        }
    }
}
