namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// A bar per period, stacked by series (e.g. records accepted and rejected per day). For counts:
/// a missing value adds nothing to its bar, and the table's total for that period is missing too,
/// so a withheld count cannot be worked out from it.
/// </summary>
public sealed record StackedBarChart(string Id, string Title, string Description, IReadOnlyList<string> Periods, IReadOnlyList<Series> Series)
    : TimeChart(Id, Title, Description, Periods, Series)
{
    protected override void DrawInto(ChartSvg svg)
    {
        var scale = Scale.Covering(Enumerable.Range(0, Periods.Count).Select(i => Series.Sum(s => Math.Max(s.ValueAt(i) ?? 0, 0))), WholeNumbers);
        DrawFrame(svg, scale);
        var width = Band * 0.7;
        for (var period = 0; period < Periods.Count; period++)
        {
            var stacked = 0.0;
            foreach (var (series, index) in Series.Select((s, i) => (s, i)))
            {
                if (series.ValueAt(period) is not { } value || value <= 0)
                {
                    continue;
                }

                var top = scale.Map(stacked + value, Bottom, Top);
                var bottom = scale.Map(stacked, Bottom, Top);
                svg.Rect("bar " + ChartSvg.SeriesClass(index), Centre(period) - (width / 2), top, width, bottom - top,
                    $"{Periods[period]}, {series.Name}: {ValueText(value)}", series.HrefAt(period));
                stacked += value;
            }
        }
    }

    protected override IEnumerable<string> ExtraHeadings => ["Total"];

    protected override IEnumerable<string> ExtraCells(int period)
    {
        var values = Series.Select(s => s.ValueAt(period)).ToList();
        return [Cell(values.Any(v => v is null) ? null : values.Sum(v => v!.Value), null)];
    }
}
