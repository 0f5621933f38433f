using System.Text;
using System.Text.Json;
using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Mapping;
using Gateway.Mapping.LocalOffer;

namespace Gateway.Fhir.ServiceDirectory;

/// <summary>
/// A directory source sent as a file to the record API (<c>POST /records/batch?format=…</c>):
/// an Open Referral UK / HSDS 3 JSON document or a welfare-activities/v1 CSV. The file is the
/// partner's whole offer: every entry is applied and reported, then what it no longer lists is
/// deactivated and reported too. A file that cannot be read at all is refused whole (<see cref="RecordFileException"/>).
/// </summary>
public sealed class DirectoryFiles(DirectoryImport import, DirectoryImportLog log, PartnerDirectory partners)
{
    public static readonly IReadOnlySet<string> Formats = new HashSet<string>(StringComparer.Ordinal) { OrukServiceReader.Format, ActivitiesCsvReader.Format };

    public async IAsyncEnumerable<RecordReport> ReceiveAsync(CallingPartner caller, string format, Stream file, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (!PartnerKinds.IsProvider(caller.Kind))
        {
            throw new RecordFileException([new RecordIssue(RecordIssueCode.NotAllowed, "format",
                $"{format} lists the services a provider offers; {caller.PartnerId} is a {caller.Kind}, not a housing provider or welfare organisation.")]);
        }

        IReadOnlyList<DirectoryEntryRead> entries;
        if (format == OrukServiceReader.Format)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(file, cancellationToken: ct);
                entries = OrukServiceReader.Read(document.RootElement);
            }
            catch (JsonException malformed)
            {
                throw new RecordFileException([new RecordIssue(RecordIssueCode.InvalidFormat, "$", $"The {format} file is not an Open Referral UK document: {malformed.Message}")]);
            }
        }
        else
        {
            // Read whole first (the record API's body limit bounds it): the CSV reader reads synchronously, which Kestrel refuses on a request body.
            using var body = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            using var text = new StringReader(await body.ReadToEndAsync(ct));
            var name = partners.Find(caller.PartnerId)?.Name ?? caller.PartnerId;
            var (rows, header) = ActivitiesCsvReader.Read(text, caller.PartnerId, name);
            if (header.Count > 0)
            {
                throw new RecordFileException(header);
            }

            entries = rows;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var report = new List<DirectoryEntryOutcome>();
        foreach (var read in entries)
        {
            var outcome = await import.ApplyAsync(caller, format, read, ct);
            if (outcome.Outcome != DirectoryEntryOutcome.Rejected)
            {
                seen.Add(outcome.SourceId);
            }

            report.Add(outcome);
            yield return Report(format, outcome);
        }

        foreach (var retired in await import.RetireMissingAsync(caller, format, seen, ct))
        {
            report.Add(retired);
            yield return Report(format, retired);
        }

        await log.SaveAsync(caller.PartnerId, format, "record API", report, ct);
    }

    /// <summary>A directory entry's outcome as a line of the record API's batch report.</summary>
    public static RecordReport Report(string format, DirectoryEntryOutcome outcome) => new(
        "",
        format,
        outcome.SourceId,
        outcome.Position,
        outcome.Outcome switch
        {
            DirectoryEntryOutcome.Rejected => RecordReport.Rejected,
            DirectoryEntryOutcome.Unchanged => RecordReport.Unchanged,
            _ => RecordReport.Accepted,
        },
        outcome.Issues,
        outcome.Reference is null ? [] : [outcome.Reference],
        $"Directory entry {outcome.Outcome}.");
}
