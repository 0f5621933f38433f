using Gateway.Fhir.Timeline;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// <c>GET /console/referrals</c>: find referrals by Task id, referral number, the GP's referral id, NHS number or BSN; narrow by
/// status, owner and SLA breach. Lists the GP's referral id and the patient's name, unless
/// <c>Gateway:Console:ShowPatientNames</c> is false (a deployment whose operators must not see names).
/// </summary>
public static class ReferralsPage
{
    private static readonly string[] Statuses = ["", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"];

    public const string ShowPatientNamesKey = "Gateway:Console:ShowPatientNames";

    private static readonly string[] PatientHeading = ["Patient"];

    public static async Task<IResult> Handle(HttpContext context, ReferralSearch search, IConfiguration configuration, string? q, string? status, string? owner, string? sla, CancellationToken ct)
    {
        var searched = new[] { q, status, owner, sla }.Any(v => !string.IsNullOrWhiteSpace(v));
        var found = searched ? await search.FindAsync(q, status, owner, ct, sla) : [];
        var names = configuration.GetValue(ShowPatientNamesKey, true);
        // A list of states (the home page's "open referrals") is offered as it came.
        var statuses = status is { } list && list.Contains(',', StringComparison.Ordinal) ? [.. Statuses, list] : Statuses;
        var options = string.Concat(statuses.Select(s => $"<option value=\"{E(s)}\"{(s == status ? " selected" : "")}>{(s.Length == 0 ? "any" : E(s))}</option>"));
        var form = $"""
            <form method="get" action="/console/referrals" id="referral-search">
              <label>Task, referral, NHS number or BSN <input name="q" id="q" value="{E(q)}"></label>
              <label>Status <select name="status" id="status">{options}</select></label>
              <label>Owner <input name="owner" id="owner" value="{E(owner)}" placeholder="partner id"></label>
              {(string.IsNullOrWhiteSpace(sla) ? "" : $"<label>SLA breach <input name=\"sla\" id=\"sla\" value=\"{E(sla)}\"></label>")}
              <button type="submit">Search</button>
            </form>
            """;
        var results = !searched ? "<p class=\"muted\">Search by any of the fields above.</p>"
            : found.Count == 0 ? "<p id=\"no-referrals\">No referral matches.</p>"
            : Table(["Task", "GP's referral id", .. (names ? PatientHeading : []), "Referral number", "Status", "Business status", "Owner", "ServiceRequest", "Last changed"],
                found.Select(r => Row([
                    $"<a href=\"/console/referrals/{Q(r.TaskId)}\">Task/{E(r.TaskId)}</a>", E(r.GpReferralId ?? "—"), .. (names ? new[] { E(r.PatientName ?? "—") } : []),
                    E(r.ReferralNumber), E(r.Status), E(r.BusinessStatus), E(r.Owner), E(r.ServiceRequest), Time(r.LastUpdated)])), "referrals")
              + (found.Count == ReferralSearch.Limit ? $"<p class=\"muted\">The newest {ReferralSearch.Limit} shown; narrow the search for others.</p>" : "");
        return Page(context, "Referrals", form + results);
    }
}
