using System.Text;
using Gateway.Fhir.Measures;
using Gateway.Fhir.Partners;
using Microsoft.Extensions.Options;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// <c>GET /console/outcomes</c> (issue 19, item 6): the outcome Measures as charts, for a period
/// and optionally one area or referring practice, computed by the same evaluator as
/// $evaluate-measure, and <c>/console/outcomes.csv</c>, the same figures as its CSV. Operators and
/// commissioner logins (their commissioner's area and programmes only, always suppressed).
/// Aggregates only: nothing about a person, and no link into the referral lists.
/// </summary>
public static class OutcomesPage
{
    public const string Path = "/console/outcomes";

    public static RouteGroupBuilder MapOutcomes(this RouteGroupBuilder group)
    {
        group.MapGet("/outcomes", Handle).WithName("console-outcomes");
        group.MapGet("/outcomes.csv", Csv).WithName("console-outcomes-csv");
        return group;
    }

    public static async Task<IResult> Handle(HttpContext context, MeasureEvaluator evaluator, PartnerDirectory partners, IOptions<MeasuresOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var (query, problem) = OutcomesQuery.From(context, partners, options.Value, clock);
        if (query is null)
        {
            return Page(context, "Outcomes", $"<p class=\"error\" id=\"outcomes-error\">{E(problem)}</p>", StatusCodes.Status400BadRequest);
        }

        var figures = new OutcomeFigures(await evaluator.EvaluateAsync(MeasureCatalog.All, query.Start, query.End, query.Scope, query.Suppress, ct));
        // The filters' choices: every area and practice of the period in the caller's scope, whatever is chosen now.
        var choices = query.Area is null && query.Practice is null ? figures
            : new OutcomeFigures(await evaluator.EvaluateAsync([MeasureCatalog.Find("referrals-received")!], query.Start, query.End,
                query.Scope with { AreaStratum = null, Practice = null }, query.Suppress, ct));
        return Page(context, "Outcomes", Body(query, figures, choices, partners));
    }

    public static async Task<IResult> Csv(HttpContext context, MeasureEvaluator evaluator, PartnerDirectory partners, IOptions<MeasuresOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var (query, problem) = OutcomesQuery.From(context, partners, options.Value, clock);
        if (query is null)
        {
            return Results.Text(problem, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var figures = await evaluator.EvaluateAsync(MeasureCatalog.All, query.Start, query.End, query.Scope, query.Suppress, ct);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"outcomes-{query.Start:yyyy-MM-dd}-{query.End:yyyy-MM-dd}.csv\"";
        return Results.Text(MeasureCsv.Write(figures), MeasureCsv.MediaType + "; charset=utf-8");
    }

    private static string Body(OutcomesQuery query, OutcomeFigures figures, OutcomeFigures choices, PartnerDirectory partners)
    {
        var months = query.Months();
        var areas = figures.Strata("area");
        var practices = figures.Strata("practice");
        var practiceLabels = practices.Select(p => PracticeLabel(p, partners)).ToList();
        var html = new StringBuilder();
        html.Append(Intro(query, figures, partners))
            .Append(Form(query, choices, partners))
            .Append("<h2>Over time</h2><div class=\"charts\">")
            .Append(OutcomeCharts.States(figures, "states-by-month", "Referrals by state, per month of referral", "month", months, months, "Month").ToHtml())
            .Append(OutcomeCharts.ContactShare(figures, "contact-by-month", "First contact within 14 days, per month", "month", months, months, "Month").ToHtml())
            .Append(OutcomeCharts.MedianDays(figures, months).ToHtml())
            .Append(OutcomeCharts.Endings(figures).ToHtml())
            .Append("</div><h2>Wellbeing</h2><div class=\"charts\">")
            .Append(OutcomeCharts.Wellbeing(figures, "wellbeing", "Wellbeing change, first to last measurement", null, [null], [""]).ToHtml())
            .Append("</div><h2>Per area</h2><div class=\"charts\">")
            .Append(OutcomeCharts.States(figures, "states-by-area", "Referrals by state, per area", "area", areas, areas, "Area").ToHtml())
            .Append(OutcomeCharts.ContactShare(figures, "contact-by-area", "First contact within 14 days, per area", "area", areas, areas, "Area").ToHtml())
            .Append(OutcomeCharts.Wellbeing(figures, "wellbeing-by-area", "Wellbeing change, per area", "area", areas, areas).ToHtml())
            .Append("</div><h2>Per referring practice</h2><div class=\"charts\">")
            .Append(OutcomeCharts.States(figures, "states-by-practice", "Referrals by state, per referring practice", "practice", practices, practiceLabels, "Practice").ToHtml())
            .Append(OutcomeCharts.ContactShare(figures, "contact-by-practice", "First contact within 14 days, per referring practice", "practice", practices, practiceLabels, "Practice").ToHtml())
            .Append(OutcomeCharts.Wellbeing(figures, "wellbeing-by-practice", "Wellbeing change, per referring practice", "practice", practices, practiceLabels).ToHtml())
            .Append("</div>");
        return html.ToString();
    }

    private static string Intro(OutcomesQuery query, OutcomeFigures figures, PartnerDirectory partners)
    {
        var whose = query.Commissioner is { } id
            ? $"Referrals in the area and programmes of <strong id=\"commissioner\">{E(partners.Find(id)?.Name ?? id)}</strong>"
            : "Every referral";
        var received = figures.Count("received");
        var suppression = figures.IsSuppressed
            ? "Small numbers are suppressed as for commissioners: a count from 1 to 4 shows as <code>&lt;5</code> (and a cell that would reveal it is suppressed too); a share, median or mean resting on a suppressed count or on fewer than 10 people is <code>withheld</code>."
            : "<strong>Unsuppressed</strong> (<code>Gateway:Measures:OperatorsSeeUnsuppressed</code>): small numbers are shown as they are. Do not pass these figures on.";
        return $"""
            <p id="outcomes-summary">{whose} made from {query.Start:yyyy-MM-dd} to {query.End:yyyy-MM-dd} (UTC){Filtered(query, partners)}: <strong id="received-total">{(received is { } n ? Number((int)n) : OutcomeCharts.Suppressed)}</strong> received.
            Computed as <code>Measure/$evaluate-measure</code> computes them; each chart has its table of the same figures.</p>
            <p class="muted" id="suppression-note">{suppression}</p>
            <p><a id="outcomes-csv" href="/console/outcomes.csv?{E(query.QueryString())}" download>Download these figures as CSV</a> (the CSV of <code>$evaluate-measure</code>, every Measure and stratum).</p>
            """;
    }

    private static string Filtered(OutcomesQuery query, PartnerDirectory partners) =>
        (query.Area is { } area ? $", area {E(area)}" : "") + (query.Practice is { } practice ? $", referred by {E(PracticeLabel(practice, partners))}" : "");

    private static string Form(OutcomesQuery query, OutcomeFigures choices, PartnerDirectory partners)
    {
        static string Options(IEnumerable<string> values, string? chosen, Func<string, string> label) =>
            "<option value=\"\">all</option>" + string.Concat(values.Append(chosen ?? "").Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)
                .Select(v => $"<option value=\"{E(v)}\"{(v == chosen ? " selected" : "")}>{E(label(v))}</option>"));

        return $"""
            <form method="get" action="{Path}" id="outcomes-filter">
              <label for="periodStart">From</label><input type="date" id="periodStart" name="periodStart" value="{query.Start:yyyy-MM-dd}">
              <label for="periodEnd">to</label><input type="date" id="periodEnd" name="periodEnd" value="{query.End:yyyy-MM-dd}">
              <label for="area">Area</label><select id="area" name="area">{Options(choices.Strata("area"), query.Area, a => a)}</select>
              <label for="practice">Referring practice</label><select id="practice" name="practice">{Options(choices.Strata("practice"), query.Practice, p => PracticeLabel(p, partners))}</select>
              <button type="submit">Show</button>
            </form>
            """;
    }

    private static string PracticeLabel(string practice, PartnerDirectory partners) =>
        partners.Find(practice) is { } partner ? $"{partner.Name} ({practice})" : practice;
}
