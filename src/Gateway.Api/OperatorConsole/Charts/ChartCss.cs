namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// The charts' part of the console stylesheet. The palette is Okabe and Ito's, told apart by
/// people with colour-vision deficiencies; every colour also has its numbers in the table.
/// </summary>
public static class ChartCss
{
    public const int SeriesColours = 8;

    public const string Css = """
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: 1rem 2rem; margin-bottom: 1.5rem; }
        figure.chart { margin: 0 0 1.5rem; }
        figure.chart figcaption { font-weight: 600; margin-bottom: .4rem; }
        .chart-body { display: flex; flex-direction: column; gap: .5rem; align-items: flex-start; }
        .chart-body svg { width: 100%; max-width: 36rem; height: auto; }
        .chart-data { max-width: 100%; max-height: 14rem; overflow: auto; }
        .chart-data table { width: auto; margin: 0; }
        .chart-data caption { position: absolute; left: -10000px; }
        .chart-data th, .chart-data td { font-size: .8rem; padding: .15rem .4rem; }
        .chart text { font-size: 11px; fill: #1b1b1b; }
        .chart text.missing { fill: #666; font-style: italic; }
        .chart .grid { stroke: #dde2ea; stroke-width: 1; }
        .chart .axis { stroke: #444; stroke-width: 1; }
        .chart polyline.line { fill: none; stroke-width: 2; }
        .chart .interval { stroke: #1b1b1b; stroke-width: 1.5; }
        .chart a:hover rect { opacity: .8; }
        .chart .series-0 { fill: #0072b2; stroke: #0072b2; }
        .chart .series-1 { fill: #d55e00; stroke: #d55e00; }
        .chart .series-2 { fill: #009e73; stroke: #009e73; }
        .chart .series-3 { fill: #cc79a7; stroke: #cc79a7; }
        .chart .series-4 { fill: #e69f00; stroke: #e69f00; }
        .chart .series-5 { fill: #56b4e9; stroke: #56b4e9; }
        .chart .series-6 { fill: #f0e442; stroke: #f0e442; }
        .chart .series-7 { fill: #000000; stroke: #000000; }
        """;
}
