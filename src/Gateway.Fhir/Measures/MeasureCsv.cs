using System.Globalization;
using System.Text;

namespace Gateway.Fhir.Measures;

/// <summary>
/// The same figures as CSV (issue 19: <c>Accept: text/csv</c>): one row per group and cell, the
/// whole period first. A suppressed count reads "&lt;5"; a withheld score says why ("suppressed",
/// "n&lt;10"); a column that does not apply to the group is empty.
/// </summary>
public static class MeasureCsv
{
    public const string MediaType = "text/csv";

    private const string Header = "measure,period_start,period_end,group,stratifier,stratum,count,numerator,denominator,score,ci_low,ci_high";

    public static string Write(IEnumerable<MeasureFigures> reports)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var figures in reports)
        {
            foreach (var group in figures.Groups)
            {
                foreach (var cell in group.Cells)
                {
                    var interval = MeasureScores.Interval(group, cell);
                    string[] fields =
                    [
                        figures.Measure.Id, Date(figures.PeriodStart), Date(figures.PeriodEnd), group.Group.Code, cell.Stratifier ?? "", cell.Stratum ?? "",
                        Count(group, cell, group.Group.Scoring == GroupScoring.Cohort ? MeasurePopulations.Initial : MeasurePopulations.Measure),
                        Count(group, cell, MeasurePopulations.Numerator),
                        Count(group, cell, MeasurePopulations.Denominator),
                        Score(group, cell),
                        interval is { } i ? Number(i.Low) : "",
                        interval is { } j ? Number(j.High) : "",
                    ];
                    csv.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
                }
            }
        }

        return csv.ToString();
    }

    private static string Count(GroupFigures group, MeasureCell cell, string population) =>
        !group.Populations.Contains(population) ? "" : cell.IsShown(population) ? cell.Count(population).ToString(CultureInfo.InvariantCulture) : "<5";

    private static string Score(GroupFigures group, MeasureCell cell) =>
        group.Group.Scoring == GroupScoring.Cohort ? ""
        : MeasureScores.Value(group, cell) is { } value ? Number(value)
        : cell.StatisticWithheld ?? "";

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
