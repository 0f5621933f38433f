using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>Pieces of a console page for HTTP tests: a chart's table (charts write well-formed markup) and a tile's count and link.</summary>
internal static partial class ConsolePage
{
    /// <summary>The data table beside the chart with this id: each row's cells as text, and the links of each row's cells.</summary>
    public static List<(List<string> Cells, List<string?> Links)> ChartRows(string html, string chartId)
    {
        var start = html.IndexOf($"<figure class=\"chart\" id=\"{chartId}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"The page has no chart {chartId}.");
        var figure = XElement.Parse(html[start..(html.IndexOf("</figure>", start, StringComparison.Ordinal) + "</figure>".Length)]);
        return figure.Descendants("tbody").Single().Elements("tr")
            .Select(r => (r.Elements().Select(c => c.Value).ToList(), r.Elements().Select(c => (string?)c.Element("a")?.Attribute("href")).ToList()))
            .ToList();
    }

    public static List<string> ChartHeadings(string html, string chartId)
    {
        var start = html.IndexOf($"<figure class=\"chart\" id=\"{chartId}\">", StringComparison.Ordinal);
        var figure = XElement.Parse(html[start..(html.IndexOf("</figure>", start, StringComparison.Ordinal) + "</figure>".Length)]);
        return figure.Descendants("thead").Single().Descendants("th").Select(h => h.Value).ToList();
    }

    /// <summary>A home-page tile: its count and where it links.</summary>
    public static (int Count, string Href) Tile(string html, string id)
    {
        var match = TileLink().Matches(html).Single(m => m.Groups["id"].Value == id);
        return (int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture), System.Net.WebUtility.HtmlDecode(match.Groups["href"].Value));
    }

    [GeneratedRegex("<a href=\"(?<href>[^\"]*)\" id=\"(?<id>[^\"]+)\"><span class=\"count\">(?<count>\\d+)</span>")]
    private static partial Regex TileLink();
}
