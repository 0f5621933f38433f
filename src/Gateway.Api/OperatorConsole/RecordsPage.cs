using Gateway.Fhir.Records;
using Gateway.Mapping;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary><c>GET /console/records</c>: the rejected partner records with their issues, each with a Replay button.</summary>
public static class RecordsPage
{
    public static async Task<IResult> Handle(HttpContext context, RejectedRecords rejected, string? partner, CancellationToken ct)
    {
        var records = await rejected.ListAsync(partner, ct);
        var filter = $"""
            <form method="get" action="/console/records"><label>Partner <input name="partner" value="{E(partner)}"></label><button type="submit">Filter</button></form>
            """;
        var token = Antiforgery(context);
        var body = records.Count == 0 ? "<p id=\"no-records\">No rejected records.</p>"
            : Table(["Record", "Partner", "Format", "Received", "Source", "Attempts", "Issues", ""], records.Select(r => Row(
                $"<a href=\"/console/records/{Q(r.RecordId)}\">{E(r.RecordId)}</a>", E(r.PartnerId), E(r.Format), Time(r.ReceivedAt), E(r.Source), Number(r.Attempts),
                Issues(r.Issues), ReplayButton(r.RecordId, token))), "rejected-records");
        return Page(context, "Rejected records", filter + body);
    }

    public static string Issues(IReadOnlyList<RecordIssue> issues) => issues.Count == 0 ? "—"
        : "<ul class=\"issues\">" + string.Concat(issues.Select(i => $"<li><code>{E(i.Location)}</code> <strong>{E(i.CodeText)}</strong>: {E(i.Message)}</li>")) + "</ul>";

    public static string ReplayButton(string recordId, string antiforgery) =>
        $"<form method=\"post\" action=\"/console/records/{Q(recordId)}/replay\" class=\"inline\">{antiforgery}<button type=\"submit\" name=\"replay\" value=\"{E(recordId)}\">Replay</button></form>";
}
