using Gateway.Fhir.Timeline;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary><c>GET /console/referrals</c>: find referrals by Task id, referral number, the GP's referral id, NHS number or BSN; narrow by status and owner.</summary>
public static class ReferralsPage
{
    private static readonly string[] Statuses = ["", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"];

    public static async Task<IResult> Handle(HttpContext context, ReferralSearch search, string? q, string? status, string? owner, CancellationToken ct)
    {
        var searched = !string.IsNullOrWhiteSpace(q) || !string.IsNullOrWhiteSpace(status) || !string.IsNullOrWhiteSpace(owner);
        var found = searched ? await search.FindAsync(q, status, owner, ct) : [];
        var options = string.Concat(Statuses.Select(s => $"<option value=\"{E(s)}\"{(s == status ? " selected" : "")}>{(s.Length == 0 ? "any" : E(s))}</option>"));
        var form = $"""
            <form method="get" action="/console/referrals" id="referral-search">
              <label>Task, referral, NHS number or BSN <input name="q" id="q" value="{E(q)}"></label>
              <label>Status <select name="status" id="status">{options}</select></label>
              <label>Owner <input name="owner" id="owner" value="{E(owner)}" placeholder="partner id"></label>
              <button type="submit">Search</button>
            </form>
            """;
        var results = !searched ? "<p class=\"muted\">Search by any of the fields above.</p>"
            : found.Count == 0 ? "<p id=\"no-referrals\">No referral matches.</p>"
            : Table(["Task", "Referral number", "Status", "Business status", "Owner", "ServiceRequest", "Last changed"],
                found.Select(r => Row(
                    $"<a href=\"/console/referrals/{Q(r.TaskId)}\">Task/{E(r.TaskId)}</a>", E(r.ReferralNumber), E(r.Status), E(r.BusinessStatus), E(r.Owner),
                    E(r.ServiceRequest), Time(r.LastUpdated))), "referrals")
              + (found.Count == ReferralSearch.Limit ? $"<p class=\"muted\">The newest {ReferralSearch.Limit} shown; narrow the search for others.</p>" : "");
        return Page(context, "Referrals", form + results);
    }
}
