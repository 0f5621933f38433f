namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// One estimate with its confidence interval (e.g. mean change of an ONS4 item, paired first and
/// last measurement): <paramref name="Mean"/> and the interval's bounds, null when withheld (too
/// few people), and <paramref name="People"/> it rests on.
/// </summary>
public sealed record Estimate(string Label, double? Mean, double? Low, double? High, int? People);

/// <summary>
/// A point with its interval per row, against a zero line: an interval that crosses zero is a
/// change the data cannot tell from none. The table gives n, the mean and both bounds.
/// </summary>
public sealed record IntervalChart(string Id, string Title, string Description, IReadOnlyList<Estimate> Estimates) : Chart(Id, Title, Description)
{
    private const int Top = 8;
    private const int RowHeight = 24;
    private const int AxisHeight = 22;

    public string LabelHeading { get; init; } = "Measure";

    public string MeanHeading { get; init; } = "Mean change";

    /// <summary>The interval's name in the table, e.g. "95 % CI".</summary>
    public string IntervalHeading { get; init; } = "95 % CI";

    private int LabelWidth => Math.Clamp(Estimates.Select(e => e.Label.Length).DefaultIfEmpty(0).Max() * 7 + 8, 60, 200);

    protected override int HeightFor() => Top + (Math.Max(Estimates.Count, 1) * RowHeight) + AxisHeight;

    protected override void DrawInto(ChartSvg svg)
    {
        var shown = Estimates.Where(e => e.Mean is not null).ToList();
        var scale = Scale.Covering(shown.SelectMany(e => new[] { e.Mean!.Value, e.Low ?? 0, e.High ?? 0 }), wholeNumbers: false);
        double left = LabelWidth, right = svg.Width - 20, bottom = Top + (Math.Max(Estimates.Count, 1) * RowHeight);
        ChartAxes.Vertical(svg, scale, left, right, Top, bottom);
        foreach (var (estimate, row) in Estimates.Select((e, i) => (e, i)))
        {
            var y = Top + (row * RowHeight) + (RowHeight / 2.0);
            svg.Text("label", left - 6, y + 4, estimate.Label, "end");
            if (estimate.Mean is not { } mean)
            {
                svg.Text("missing", scale.Map(0, left, right) + 4, y + 4, MissingText);
                continue;
            }

            if (estimate is { Low: { } low, High: { } high })
            {
                var (x1, x2) = (scale.Map(low, left, right), scale.Map(high, left, right));
                svg.Line("interval", x1, y, x2, y);
                svg.Line("interval", x1, y - 5, x1, y + 5);
                svg.Line("interval", x2, y - 5, x2, y + 5);
            }

            svg.Circle("dot " + ChartSvg.SeriesClass(0), scale.Map(mean, left, right), y, 4, $"{estimate.Label}: {Describe(estimate)}");
        }
    }

    protected override string DataTable() =>
        ChartTable.Build(Title, [LabelHeading, "n", MeanHeading, IntervalHeading],
            Estimates.Select(e => new[]
            {
                ChartSvg.E(e.Label),
                e.People is { } n ? ChartSvg.Number(n) : ChartSvg.E(MissingText),
                Cell(e.Mean, null),
                e is { Mean: not null, Low: { } low, High: { } high } ? $"{ChartSvg.Number(low)} to {ChartSvg.Number(high)}" : ChartSvg.E(MissingText),
            }));

    private string Describe(Estimate e) =>
        $"{ValueText(e.Mean)}" + (e is { Low: { } low, High: { } high } ? $" ({IntervalHeading} {ChartSvg.Number(low)} to {ChartSvg.Number(high)})" : "") +
        (e.People is { } n ? $", n = {n}" : "");
}
