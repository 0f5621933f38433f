namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>One bar: its label, its value (null when missing or withheld) and the list it stands for.</summary>
public sealed record Bar(string Label, double? Value, string? Href = null);

/// <summary>Horizontal bars, one per category (e.g. referrals by state), labels on the left so long names stay readable.</summary>
public sealed record BarChart(string Id, string Title, string Description, IReadOnlyList<Bar> Bars) : Chart(Id, Title, Description)
{
    private const int Top = 8;
    private const int RowHeight = 22;
    private const int AxisHeight = 22;

    public string CategoryHeading { get; init; } = "Category";

    public string ValueHeading { get; init; } = "Count";

    public bool WholeNumbers { get; init; } = true;

    private int LabelWidth => Math.Clamp(Bars.Select(b => b.Label.Length).DefaultIfEmpty(0).Max() * 7 + 8, 60, 200);

    protected override int HeightFor() => Top + (Math.Max(Bars.Count, 1) * RowHeight) + AxisHeight;

    protected override void DrawInto(ChartSvg svg)
    {
        var scale = Scale.Covering(Bars.Select(b => b.Value ?? 0), WholeNumbers);
        double left = LabelWidth, right = svg.Width - 40, bottom = Top + (Math.Max(Bars.Count, 1) * RowHeight);
        ChartAxes.Vertical(svg, scale, left, right, Top, bottom);
        foreach (var (bar, row) in Bars.Select((b, i) => (b, i)))
        {
            var y = Top + (row * RowHeight);
            svg.Text("label", left - 6, y + 15, bar.Label, "end");
            if (bar.Value is not { } value)
            {
                svg.Text("missing", scale.Map(0, left, right) + 4, y + 15, MissingText);
                continue;
            }

            var zero = scale.Map(0, left, right);
            var end = scale.Map(value, left, right);
            svg.Rect("bar " + ChartSvg.SeriesClass(0), Math.Min(zero, end), y + 4, Math.Abs(end - zero), RowHeight - 8, $"{bar.Label}: {ValueText(value)}", bar.Href);
            svg.Text("value", Math.Max(zero, end) + 4, y + 15, ValueText(value));
        }
    }

    protected override string DataTable() =>
        ChartTable.Build(Title, [CategoryHeading, ValueHeading], Bars.Select(b => new[] { ChartSvg.E(b.Label), Cell(b.Value, b.Href) }));
}
