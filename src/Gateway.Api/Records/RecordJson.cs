using System.Text.Json;
using Gateway.Fhir.Records;

namespace Gateway.Api.Records;

/// <summary>How record reports and received records look on the wire (camelCase JSON).</summary>
public static class RecordJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static object Report(RecordReport report) => RecordReportJson.Report(report);

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
        issues = RecordReportJson.Issues(record.Issues),
        produced = record.Produced,
        processedAt = record.ProcessedAt,
        attempts = record.Attempts,
        body = record.Body,
        links = new { replay = $"/records/{record.RecordId}/replay" },
    };
}
