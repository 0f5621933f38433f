using System.Text.Json;
using Gateway.Fhir.Records;

namespace Gateway.Api.Records;

/// <summary>How record reports and received records look on the wire (camelCase JSON).</summary>
public static class RecordJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static object Report(RecordReport report) => new
    {
        recordId = report.RecordId,
        format = report.Format,
        recordKey = report.RecordKey,
        row = report.RowNumber,
        outcome = report.Outcome,
        produced = report.Produced,
        issues = Issues(report.Issues),
        note = report.Note,
        links = new { record = $"/records/{report.RecordId}" },
    };

    public static object Record(ReceivedRecord record) => new
    {
        recordId = record.RecordId,
        partner = record.PartnerId,
        format = record.Format,
        recordKey = record.RecordKey,
        receivedAt = record.ReceivedAt,
        source = record.Source,
        row = record.RowNumber,
        state = record.State.ToString().ToLowerInvariant(),
        issues = Issues(record.Issues),
        produced = record.Produced,
        processedAt = record.ProcessedAt,
        attempts = record.Attempts,
        body = record.Body,
        links = new { replay = $"/records/{record.RecordId}/replay" },
    };

    private static IEnumerable<object> Issues(IEnumerable<Gateway.Mapping.RecordIssue> issues) =>
        issues.Select(i => new { code = i.CodeText, location = i.Location, message = i.Message });
}
