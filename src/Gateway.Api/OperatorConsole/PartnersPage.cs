using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary><c>GET /console/partners</c>: every partner, how its records reach the gateway, and how that is going.</summary>
public static class PartnersPage
{
    public static async Task<IResult> Handle(HttpContext context, PartnerHealth health, CancellationToken ct)
    {
        var rows = (await health.ReadAsync(ct)).Select(h => Row(
            $"<strong>{E(h.Partner.Id)}</strong><br><span class=\"muted\">{E(h.Partner.Name)}</span>",
            E(h.Partner.Kind),
            h.Formats.Count == 0 ? "—" : E(string.Join(", ", h.Formats)),
            h.Pull is not { } pull ? "—"
                : $"{E(h.Partner.Pull!.Url)} <span class=\"muted\">({E(h.Partner.Pull.Schedule)})</span><br>last run {TimeOrNever(pull.LastRun)}: {E(pull.Outcome)}"
                  + (pull.Error is null ? "" : $"<br><span class=\"error\">{E(pull.Error)}</span>")
                  + $"<br><span class=\"muted\">cursor moved {TimeOrNever(pull.CursorMovedAt)}</span>",
            E(h.Partner.DropFolder ?? "—"),
            h.RejectedLastDay == 0 ? "0" : $"<a href=\"/console/records?partner={Q(h.Partner.Id)}\">{Number(h.RejectedLastDay)}</a>",
            h.FailingDeliveries == 0 ? "0" : $"<a href=\"/console/subscriptions\">{Number(h.FailingDeliveries)}</a>"));
        return Page(context, "Partners", Table(["Partner", "Kind", "Formats", "Pull (last run)", "Drop folder", "Rejected (24 h)", "Failing deliveries"], rows, "partners"));
    }
}
