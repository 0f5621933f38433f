namespace Gateway.Fhir.Records;

/// <summary>
/// How a record's report looks as JSON (camelCase), for the batch API and the drop folders'
/// report files alike.
/// </summary>
public static class RecordReportJson
{
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

    public static IEnumerable<object> Issues(IEnumerable<Gateway.Mapping.RecordIssue> issues) =>
        issues.Select(i => new { code = i.CodeText, location = i.Location, message = i.Message });

    public static Dictionary<string, int> EmptySummary() =>
        new(StringComparer.Ordinal) { [RecordReport.Accepted] = 0, [RecordReport.Unchanged] = 0, [RecordReport.Rejected] = 0 };
}
