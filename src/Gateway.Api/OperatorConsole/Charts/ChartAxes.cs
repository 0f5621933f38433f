namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>Gridlines with their tick labels, shared by the charts.</summary>
internal static class ChartAxes
{
    /// <summary>Vertical gridlines for a horizontal value axis, labelled below <paramref name="bottom"/>.</summary>
    public static void Vertical(ChartSvg svg, Scale scale, double left, double right, double top, double bottom)
    {
        foreach (var tick in scale.Ticks)
        {
            var x = scale.Map(tick, left, right);
            svg.Line(tick == 0 ? "axis" : "grid", x, top, x, bottom);
            svg.Text("tick", x, bottom + 14, ChartSvg.Number(tick), "middle");
        }
    }

    /// <summary>Horizontal gridlines for a vertical value axis, labelled left of <paramref name="left"/>.</summary>
    public static void Horizontal(ChartSvg svg, Scale scale, double left, double right, double top, double bottom)
    {
        foreach (var tick in scale.Ticks)
        {
            var y = scale.Map(tick, bottom, top);
            svg.Line(tick == 0 ? "axis" : "grid", left, y, right, y);
            svg.Text("tick", left - 4, y + 4, ChartSvg.Number(tick), "end");
        }
    }

    /// <summary>Period labels under a time axis, thinned so they do not overlap (every label stays in the table).</summary>
    public static void Periods(ChartSvg svg, IReadOnlyList<string> periods, Func<int, double> x, double bottom)
    {
        var room = periods.Count == 0 ? 1 : (svg.Width - 60.0) / periods.Count;
        var longest = periods.Select(p => p.Length).DefaultIfEmpty(1).Max() * 6.5 + 6;
        var every = Math.Max(1, (int)Math.Ceiling(longest / room));
        for (var i = 0; i < periods.Count; i += every)
        {
            svg.Text("tick", x(i), bottom + 14, periods[i], "middle");
        }
    }
}
