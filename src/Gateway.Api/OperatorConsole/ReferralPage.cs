using System.Collections;
using System.Globalization;
using System.Text;
using Gateway.Fhir.Timeline;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary><c>GET /console/referrals/{id}</c>: one referral's timeline (Task versions, records, deliveries, Provenance), oldest first.</summary>
public static class ReferralPage
{
    public static async Task<IResult> Handle(string id, HttpContext context, ReferralTimeline timeline, ReferralSearch search, IConfiguration configuration, CancellationToken ct)
    {
        if (await timeline.ReadAsync(id, ct) is not { } view)
        {
            return NotFound(context, $"No referral Task matches '{id}'.");
        }

        // The names people use for the referral (issue 21, item 9), as the referrals list shows them.
        var summary = await search.FindAsync(view.Task["Task/".Length..], null, null, ct) is [var found, ..] ? found : null;
        var patient = configuration.GetValue(ReferralsPage.ShowPatientNamesKey, true) ? $" · Patient: <span id=\"patient\">{E(summary?.PatientName ?? "—")}</span>" : "";
        var head = $"""
            <p>GP's referral id: <strong id="gp-referral-id">{E(summary?.GpReferralId ?? "—")}</strong>{patient}</p>
            <p>Task: <code id="task">{E(view.Task)}</code> · ServiceRequest: <code id="service-request">{E(view.ServiceRequest)}</code>
            · <a href="/console/api/referrals/{Q(view.Task["Task/".Length..])}/timeline">as JSON</a></p>
            """;
        var rows = view.Events.Select(e => $"<tr class=\"{E(e.Kind)}\"><td>{Time(e.At)}</td><td>{E(e.Kind)}</td><td>{E(e.Summary)}{Link(e)}</td><td>{E(e.Actor)}</td><td>{Detail(e.Detail)}</td></tr>");
        return Page(context, $"Referral {view.Task}", head + Table(["When", "What", "Summary", "Who", "Detail"], rows, "timeline"));
    }

    // A rejected record can be replayed from its own page.
    private static string Link(TimelineEvent e) =>
        e.Kind == TimelineKinds.Record && e.Detail.GetValueOrDefault("recordId") is string recordId
            ? $" <a href=\"/console/records/{Q(recordId)}\">record</a>" : "";

    private static string Detail(IReadOnlyDictionary<string, object?> detail)
    {
        var html = new StringBuilder("<dl>");
        foreach (var (key, value) in detail)
        {
            if (value is null || value is ICollection { Count: 0 })
            {
                continue;
            }

            html.Append("<dt>").Append(E(key)).Append("</dt><dd>").Append(Value(value)).Append("</dd>");
        }

        return html.Append("</dl>").ToString();
    }

    private static string Value(object value) => value switch
    {
        DateTimeOffset at => Time(at),
        IDictionary<string, string> issue => E(string.Join(" ", issue.Select(p => $"{p.Key}: {p.Value}"))),
        string text => E(text),
        IEnumerable items => "<ul>" + string.Concat(items.Cast<object?>().Select(i => "<li>" + (i is null ? "" : Value(i)) + "</li>")) + "</ul>",
        IFormattable number => E(number.ToString(null, CultureInfo.InvariantCulture)),
        _ => E(value.ToString()),
    };
}
