namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// A line per series over the periods (e.g. median days to first contact per month), a dot on
/// each value; a missing value breaks the line rather than joining its neighbours across it.
/// </summary>
public sealed record LineChart(string Id, string Title, string Description, IReadOnlyList<string> Periods, IReadOnlyList<Series> Series)
    : TimeChart(Id, Title, Description, Periods, Series)
{
    protected override void DrawInto(ChartSvg svg)
    {
        var scale = Scale.Covering(Series.SelectMany(s => s.Values).OfType<double>(), WholeNumbers);
        DrawFrame(svg, scale);
        foreach (var (series, index) in Series.Select((s, i) => (s, i)))
        {
            var colour = ChartSvg.SeriesClass(index);
            var run = new List<(double X, double Y)>();
            for (var period = 0; period <= Periods.Count; period++)
            {
                if (period < Periods.Count && series.ValueAt(period) is { } value)
                {
                    run.Add((Centre(period), scale.Map(value, Bottom, Top)));
                    continue;
                }

                if (run.Count > 1)
                {
                    svg.Polyline("line " + colour, run);
                }

                run.Clear();
            }

            for (var period = 0; period < Periods.Count; period++)
            {
                if (series.ValueAt(period) is { } value)
                {
                    svg.Circle("dot " + colour, Centre(period), scale.Map(value, Bottom, Top), 3, $"{Periods[period]}, {series.Name}: {ValueText(value)}");
                }
            }
        }
    }
}
