using System.Text;

namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// A server-rendered chart for the console: an SVG picture (role="img", with its title and a
/// description a screen reader reads) and, next to it, a table with the same numbers, which is
/// what assistive technology, text browsers and anyone copying figures use. No script, nothing
/// fetched: colours and sizes come from the console's stylesheet (<see cref="ChartCss"/>).
/// </summary>
/// <param name="Id">The figure's HTML id (the SVG's title and description ids derive from it); unique on its page.</param>
/// <param name="Title">What the chart shows, shown as its caption and read as the picture's name.</param>
/// <param name="Description">One or two sentences on what to read from it (the SVG's desc).</param>
public abstract record Chart(string Id, string Title, string Description)
{
    /// <summary>Shown in the picture and the table for a value that is missing or withheld (e.g. "&lt;5" for a suppressed count).</summary>
    public string MissingText { get; init; } = "—";

    /// <summary>The figure: caption, SVG and data table, as one HTML fragment.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<figure class=\"chart\" id=\"").Append(ChartSvg.E(Id)).Append("\">")
            .Append("<figcaption>").Append(ChartSvg.E(Title)).Append("</figcaption>")
            .Append("<div class=\"chart-body\">");
        var svg = new ChartSvg(Id, Title, Description, Width, HeightFor());
        DrawInto(svg);
        html.Append(svg.Close())
            .Append("<div class=\"chart-data\">").Append(DataTable()).Append("</div>")
            .Append("</div></figure>");
        return html.ToString();
    }

    /// <summary>The SVG's user-space width; charts scale to their container.</summary>
    protected virtual int Width => 480;

    protected abstract int HeightFor();

    protected abstract void DrawInto(ChartSvg svg);

    protected abstract string DataTable();

    /// <summary>A value for the table: the number, linked when it has a list behind it (an empty list is not worth a click), or the missing text.</summary>
    protected string Cell(double? value, string? href) =>
        value is not { } v ? ChartSvg.E(MissingText)
        : href is null || v == 0 ? ChartSvg.Number(v)
        : $"<a href=\"{ChartSvg.E(href)}\">{ChartSvg.Number(v)}</a>";

    protected string ValueText(double? value) => value is { } v ? ChartSvg.Number(v) : MissingText;
}
