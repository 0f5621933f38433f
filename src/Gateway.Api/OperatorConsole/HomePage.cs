using System.Globalization;
using Gateway.Api.OperatorConsole.Charts;
using Gateway.Fhir.Overview;
using Gateway.Fhir.Subscriptions;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// <c>GET /console</c> (issue 21, item 8): how things stand, at a glance. Counts with links to
/// their lists, and small charts: referrals by state per partner, SLA breaches, partner records
/// accepted and rejected per day, deliveries failing. Counts only; nothing about a person.
/// </summary>
public static class HomePage
{
    /// <summary>Days of partner records charted, today included.</summary>
    public const int Days = 14;

    // Task states in the order a referral moves through them (SPEC §5).
    private static readonly string[] States = ["requested", "received", "accepted", "ready", "in-progress", "on-hold", "completed", "rejected", "cancelled", "failed", "entered-in-error"];
    private static readonly string[] OpenStates = ["requested", "received", "accepted", "ready", "in-progress", "on-hold"];
    private static readonly string[] RecordStates = ["applied", "rejected", "received"];

    public static async Task<IResult> Handle(HttpContext context, ConsoleOverview overview, FailingDeliveries deliveries, TimeProvider clock, CancellationToken ct)
    {
        var states = await overview.ReferralStatesAsync(ct);
        var breaches = await overview.SlaBreachesByOwnerAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var firstDay = today.AddDays(1 - Days);
        var records = await overview.RecordsByDayAsync(new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), ct);
        var rejected = await overview.RejectedRecordCountAsync(ct);
        var targets = await deliveries.TargetsAsync(ct);
        var inError = await deliveries.SubscriptionsInErrorAsync(ct);

        var tiles = string.Concat(
            Tile("open-referrals", "Open referrals", states.Where(s => OpenStates.Contains(s.Key)).Sum(s => s.Count), "/console/referrals?status=" + string.Join(',', OpenStates)),
            Tile("sla-breach-count", "SLA breaches", breaches.Sum(b => b.Count), "/console/referrals?sla=any"),
            Tile("rejected-record-count", "Rejected records", rejected, "/console/records"),
            Tile("failing-delivery-count", "Deliveries failing", targets.Sum(t => t.Failed + t.Retrying), "/console/subscriptions#failing-targets"),
            Tile("subscriptions-in-error-count", "Subscriptions in error", inError.Count, "/console/subscriptions#subscriptions-in-error"));
        var charts = string.Concat(
            ReferralStates(states).ToHtml(),
            SlaBreaches(breaches).ToHtml(),
            RecordsPerDay(records, firstDay).ToHtml(),
            FailingDeliveries(targets).ToHtml());
        return Page(context, "How things stand", $"<ul class=\"tiles\">{tiles}</ul><div class=\"charts\">{charts}</div>");
    }

    private static string Tile(string id, string label, int count, string href) =>
        $"<li><a href=\"{E(href)}\" id=\"{E(id)}\"><span class=\"count\">{Number(count)}</span> {E(label)}</a></li>";

    private static StackedBarChart ReferralStates(IReadOnlyList<OwnerCount> counts)
    {
        var owners = Owners(counts);
        var states = States.Where(s => counts.Any(c => c.Key == s)).Concat(counts.Select(c => c.Key).Where(k => !States.Contains(k)).Distinct()).ToList();
        return new StackedBarChart("referral-states", "Referrals by state, per partner", "Referral Tasks of each owning partner, stacked by their status.",
            owners.Select(OwnerLabel).ToList(),
            states.Select(state => new Series(state,
                owners.Select(o => (double?)counts.Where(c => c.Owner == o && c.Key == state).Sum(c => c.Count)).ToList(),
                owners.Select(o => Link("status", state, o)).ToList())).ToList())
        { PeriodHeading = "Partner" };
    }

    private static StackedBarChart SlaBreaches(IReadOnlyList<OwnerCount> counts)
    {
        var owners = Owners(counts);
        return new StackedBarChart("sla-breaches", "SLA breaches, per partner", "Referrals past their acceptance deadline, overdue an update, or due an outcome measure (SPEC §5).",
            owners.Select(OwnerLabel).ToList(),
            ConsoleOverview.SlaBreaches.Select(breach => new Series(breach,
                owners.Select(o => (double?)counts.Where(c => c.Owner == o && c.Key == breach).Sum(c => c.Count)).ToList(),
                owners.Select(o => Link("sla", breach, o)).ToList())).ToList())
        { PeriodHeading = "Partner" };
    }

    private static StackedBarChart RecordsPerDay(IReadOnlyList<DayCount> counts, DateOnly firstDay)
    {
        var days = Enumerable.Range(0, Days).Select(firstDay.AddDays).ToList();
        return new StackedBarChart("records-per-day", $"Partner records per day, last {Days} days", "Records received from partners each day (UTC), by what became of them: applied (accepted), rejected, or still waiting.",
            days.Select(d => d.ToString("MM-dd", CultureInfo.InvariantCulture)).ToList(),
            RecordStates.Select(state => new Series(state == "applied" ? "accepted" : state == "received" ? "waiting" : state,
                days.Select(d => (double?)counts.Where(c => c.Day == d && c.State == state).Sum(c => c.Count)).ToList(),
                state == "rejected" ? days.Select(_ => (string?)"/console/records").ToList() : null)).ToList())
        { PeriodHeading = "Day" };
    }

    private static BarChart FailingDeliveries(IReadOnlyList<FailingTarget> targets) =>
        new("failing-deliveries", "Deliveries failing or retrying, per target", "Notifications and webhooks that did not get through, per Subscription or partner webhook.",
            targets.Select(t => new Bar(t.Target, t.Failed + t.Retrying, "/console/subscriptions#failing-targets")).ToList())
        { CategoryHeading = "Target", ValueHeading = "Failing" };

    private static List<string> Owners(IEnumerable<OwnerCount> counts) => counts.Select(c => c.Owner).Distinct().Order(StringComparer.Ordinal).ToList();

    private static string OwnerLabel(string owner) => owner.Length == 0 ? "(no owner)" : owner;

    private static string? Link(string filter, string value, string owner) =>
        $"/console/referrals?{filter}={Uri.EscapeDataString(value)}" + (owner.Length == 0 ? "" : $"&owner={Uri.EscapeDataString(owner)}");
}
