using System.Globalization;
using System.Xml.Linq;
using Gateway.Api.OperatorConsole.Charts;

namespace Gateway.Api.Tests.OperatorConsole.Charts;

/// <summary>A chart's HTML read back as XML (the charts write well-formed markup), with the lookups the tests need.</summary>
internal sealed class RenderedChart
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public RenderedChart(Chart chart)
    {
        Html = chart.ToHtml();
        Figure = XElement.Parse(Html);
    }

    public string Html { get; }

    public XElement Figure { get; }

    public XElement Picture => Figure.Descendants(Svg + "svg").Single();

    public IEnumerable<XElement> Shapes(string name, string cssClass) =>
        Picture.Descendants(Svg + name).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    public List<List<string>> TableRows =>
        Figure.Descendants("tbody").Single().Elements("tr").Select(r => r.Elements().Select(c => c.Value).ToList()).ToList();

    public List<string> TableHeadings => Figure.Descendants("thead").Single().Descendants("th").Select(h => h.Value).ToList();

    public static double Number(XElement element, string attribute) => double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);
}
