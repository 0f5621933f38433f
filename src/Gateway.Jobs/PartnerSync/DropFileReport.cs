using System.Text.Json;
using Gateway.Fhir.Records;
using Gateway.Mapping;

namespace Gateway.Jobs.PartnerSync;

/// <summary>
/// The report written beside a processed drop-folder file (<c>&lt;file&gt;.report.json</c>): the
/// batch API's report (a report per record and a summary), plus the file's name and, for a file
/// refused whole, why.
/// </summary>
public sealed class DropFileReport(string file, string? format)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly List<RecordReport> _records = [];
    private IReadOnlyList<RecordIssue> _refused = [];

    /// <summary>Every record accepted or unchanged, and the file not refused.</summary>
    public bool AllAccepted => _refused.Count == 0 && _records.TrueForAll(r => r.Outcome != RecordReport.Rejected);

    public void Add(RecordReport record) => _records.Add(record);

    public void Refuse(IReadOnlyList<RecordIssue> issues) => _refused = issues;

    public string ToJson()
    {
        var summary = RecordReportJson.EmptySummary();
        foreach (var record in _records)
        {
            summary[record.Outcome]++;
        }

        return JsonSerializer.Serialize(new
        {
            file,
            format,
            refused = _refused.Select(i => new { code = i.CodeText, location = i.Location, message = i.Message }),
            records = _records.Select(RecordReportJson.Report),
            summary,
        }, Options);
    }
}
