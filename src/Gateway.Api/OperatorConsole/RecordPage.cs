using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Microsoft.AspNetCore.Antiforgery;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// <c>GET /console/records/{id}</c>: one partner record's state, issues, what it produced, and the
/// body exactly as the partner sent it (issue 21, item 9: an issue's JSON path or CSV column is read
/// against it; shown as text, never as markup); <c>POST /console/records/{id}/replay</c> processes it again through the
/// <see cref="RecordProcessor"/>, as its partner, on behalf of the operator (named in the
/// Provenance's client and in the audit trail).
/// </summary>
public static class RecordPage
{
    public static async Task<IResult> Show(string id, HttpContext context, RecordLog log, string? replayed, CancellationToken ct)
    {
        if (await log.GetAsync(id, ct) is not { } record)
        {
            return NotFound(context, $"No partner record {id}.");
        }

        var state = record.State.ToString().ToLowerInvariant();
        var outcome = replayed is null ? ""
            : $"<p id=\"replay-outcome\" class=\"{(replayed == RecordReport.Rejected ? "error" : "ok")}\">Replayed: {E(replayed)}.</p>";
        var body = $"""
            {outcome}
            <dl id="record">
              <dt>State</dt><dd id="record-state">{E(state)}</dd>
              <dt>Partner</dt><dd>{E(record.PartnerId)}</dd>
              <dt>Format</dt><dd>{E(record.Format)}</dd>
              <dt>Key</dt><dd><code>{E(record.RecordKey)}</code></dd>
              <dt>Received</dt><dd>{Time(record.ReceivedAt)} ({E(record.Source)}{(record.RowNumber is { } row ? $", row {Number(row)}" : "")})</dd>
              <dt>Processed</dt><dd>{Time(record.ProcessedAt)}, {Number(record.Attempts)} attempt(s)</dd>
              <dt>Issues</dt><dd id="record-issues">{RecordsPage.Issues(record.Issues)}</dd>
              <dt>Produced</dt><dd>{(record.Produced.Count == 0 ? "—" : "<ul>" + string.Concat(record.Produced.Select(Produced)) + "</ul>")}</dd>
            </dl>
            <h2>Body as received</h2>
            <pre class="raw" id="record-body">{E(record.Body)}</pre>
            {(record.State == RecordState.Applied ? "" : RecordsPage.ReplayButton(record.RecordId, Antiforgery(context)))}
            """;
        return Page(context, $"Record {record.RecordId}", body);
    }

    // A Task the record wrote links to its referral's timeline.
    private static string Produced(string reference) => reference.Split('/') is ["Task", var taskId, ..]
        ? $"<li><a href=\"/console/referrals/{Q(taskId)}\"><code>{E(reference)}</code></a></li>"
        : $"<li><code>{E(reference)}</code></li>";

    public static async Task<IResult> Replay(string id, HttpContext context, IAntiforgery antiforgery, RecordLog log, RecordProcessor processor, PartnerDirectory partners, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Forged(context);
        }

        if (await log.GetAsync(id, ct) is not { } record)
        {
            return NotFound(context, $"No partner record {id}.");
        }

        if (partners.Find(record.PartnerId) is not { } partner)
        {
            return Page(context, "Replay refused", $"<p class=\"error\">The partner {E(record.PartnerId)} is no longer in the partners file; its record cannot be applied on its behalf.</p>",
                StatusCodes.Status409Conflict);
        }

        var caller = new CallingPartner(ConsoleAuth.AuditName(context.User.Identity!.Name!), partner.Id, partner.Kind, SmartScopes.Parse(SmartScopes.RecordsWrite));
        var report = await processor.ReplayAsync(caller, record, ct);
        // Post/redirect/get: reloading the page shows the outcome without replaying again.
        return Results.Redirect($"/console/records/{Uri.EscapeDataString(id)}?replayed={Uri.EscapeDataString(report.Outcome)}");
    }
}
