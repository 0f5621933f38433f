using System.Text;

namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>The table a chart carries beside its picture: same numbers, same links.</summary>
internal static class ChartTable
{
    /// <summary>Headings are plain text; cells are HTML already encoded by the chart.</summary>
    public static string Build(string title, IEnumerable<string> headings, IEnumerable<IEnumerable<string>> rows)
    {
        var html = new StringBuilder("<table><caption>").Append(ChartSvg.E(title)).Append(" (table)</caption><thead><tr>");
        foreach (var heading in headings)
        {
            html.Append("<th scope=\"col\">").Append(ChartSvg.E(heading)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            var first = true;
            foreach (var cell in row)
            {
                html.Append(first ? "<th scope=\"row\">" : "<td>").Append(cell).Append(first ? "</th>" : "</td>");
                first = false;
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
