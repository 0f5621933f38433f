using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// Writes one chart's SVG: the accessible frame (role="img", title, desc) and the few shapes the
/// charts draw. Every text goes through <see cref="E"/>; shapes carry classes, never inline style,
/// because the console's Content-Security-Policy allows only its own stylesheet.
/// </summary>
public sealed class ChartSvg
{
    private readonly StringBuilder _svg = new();

    public ChartSvg(string id, string title, string description, int width, int height)
    {
        Width = width;
        Height = height;
        _svg.Append(CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{E(id)}-title {E(id)}-desc\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">")
            .Append("<title id=\"").Append(E(id)).Append("-title\">").Append(E(title)).Append("</title>")
            .Append("<desc id=\"").Append(E(id)).Append("-desc\">").Append(E(description)).Append("</desc>");
    }

    public int Width { get; }

    public int Height { get; }

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A number as the console writes it: invariant, at most two decimals.</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A rectangle with a hover title (the browser's own tooltip); linked when <paramref name="href"/> is given.</summary>
    public void Rect(string cssClass, double x, double y, double width, double height, string tooltip, string? href = null) =>
        Linked(href, $"<rect class=\"{E(cssClass)}\" x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(width, 0))}\" height=\"{N(Math.Max(height, 0))}\"><title>{E(tooltip)}</title></rect>");

    public void Line(string cssClass, double x1, double y1, double x2, double y2) =>
        _svg.Append(CultureInfo.InvariantCulture, $"<line class=\"{E(cssClass)}\" x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\"/>");

    public void Circle(string cssClass, double cx, double cy, double r, string tooltip) =>
        _svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"{E(cssClass)}\" cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\"><title>{E(tooltip)}</title></circle>");

    public void Polyline(string cssClass, IEnumerable<(double X, double Y)> points) =>
        _svg.Append("<polyline class=\"").Append(E(cssClass)).Append("\" points=\"")
            .AppendJoin(' ', points.Select(p => N(p.X) + "," + N(p.Y))).Append("\"/>");

    /// <summary>Text; <paramref name="anchor"/> is start, middle or end.</summary>
    public void Text(string cssClass, double x, double y, string text, string anchor = "start") =>
        _svg.Append(CultureInfo.InvariantCulture, $"<text class=\"{E(cssClass)}\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\">{E(text)}</text>");

    /// <summary>A legend row of coloured squares and series names along the top edge.</summary>
    public void Legend(IReadOnlyList<string> names, double x, double y)
    {
        foreach (var (name, index) in names.Select((n, i) => (n, i)))
        {
            _svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"swatch {SeriesClass(index)}\" x=\"{N(x)}\" y=\"{N(y - 9)}\" width=\"10\" height=\"10\"/>");
            Text("legend", x + 14, y, name);
            x += 24 + name.Length * 6.5;
        }
    }

    /// <summary>The colour class of the n-th series (the palette in <see cref="ChartCss"/> repeats after eight).</summary>
    public static string SeriesClass(int index) => "series-" + (index % ChartCss.SeriesColours);

    public string Close() => _svg.Append("</svg>").ToString();

    // A link inside the picture is for pointer users only (tabindex -1): keyboard and screen-reader users get the same link in the table.
    private void Linked(string? href, string shape)
    {
        if (href is null)
        {
            _svg.Append(shape);
            return;
        }

        _svg.Append("<a href=\"").Append(E(href)).Append("\" tabindex=\"-1\">").Append(shape).Append("</a>");
    }
}
