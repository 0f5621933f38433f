namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// What the charts over time share: periods along the bottom (days, weeks, months: the caller's
/// labels), a value axis on the left, a legend on top, and a table of one row per period with a
/// column per series.
/// </summary>
public abstract record TimeChart(string Id, string Title, string Description, IReadOnlyList<string> Periods, IReadOnlyList<Series> Series)
    : Chart(Id, Title, Description)
{
    protected const double Left = 44;
    protected const double Top = 26;
    private const int PlotHeight = 150;
    private const int AxisHeight = 22;

    public string PeriodHeading { get; init; } = "Period";

    public bool WholeNumbers { get; init; } = true;

    protected double Right => Width - 10;

    protected static double Bottom => Top + PlotHeight;

    protected double Band => (Right - Left) / Math.Max(Periods.Count, 1);

    protected double Centre(int period) => Left + (Band * (period + 0.5));

    protected override int HeightFor() => (int)Top + PlotHeight + AxisHeight;

    protected void DrawFrame(ChartSvg svg, Scale scale)
    {
        svg.Legend(Series.Select(s => s.Name).ToList(), Left, 12);
        ChartAxes.Horizontal(svg, scale, Left, Right, Top, Bottom);
        ChartAxes.Periods(svg, Periods, Centre, Bottom);
    }

    protected override string DataTable() =>
        ChartTable.Build(Title, [PeriodHeading, .. Series.Select(s => s.Name), .. ExtraHeadings],
            Periods.Select((period, i) => (IEnumerable<string>)[ChartSvg.E(period), .. Series.Select(s => Cell(s.ValueAt(i), s.HrefAt(i))), .. ExtraCells(i)]));

    protected virtual IEnumerable<string> ExtraHeadings => [];

    protected virtual IEnumerable<string> ExtraCells(int period) => [];
}
