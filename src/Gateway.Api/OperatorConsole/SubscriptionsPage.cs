using Gateway.Fhir.Subscriptions;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// <c>GET /console/subscriptions</c>: Subscriptions in <c>error</c>, each with a Re-activate button, and every delivery target
/// (Subscription or webhook) with failing deliveries, each with a Retry button (<see cref="DeliveryForms"/>).
/// </summary>
public static class SubscriptionsPage
{
    public static async Task<IResult> Handle(HttpContext context, FailingDeliveries deliveries, string? done, CancellationToken ct)
    {
        var token = Antiforgery(context);
        var inError = await deliveries.SubscriptionsInErrorAsync(ct);
        var targets = await deliveries.TargetsAsync(ct);
        var subscriptions = inError.Count == 0 ? "<p id=\"no-subscriptions-in-error\">No Subscription is in error.</p>"
            : Table(["Subscription", "Created by", "Criteria", "Endpoint", "Reason", "In error since", ""], inError.Select(s => Row(
                $"Subscription/{E(s.Id)}", E(s.CreatedBy), $"<code>{E(s.Criteria)}</code>", E(s.Endpoint), $"<span class=\"error\">{E(s.Error)}</span>", Time(s.Since),
                DeliveryForms.ReactivateButton(s.Id, token))),
                "subscriptions-in-error");
        var failing = targets.Count == 0 ? "<p id=\"no-failing-targets\">No deliveries are failing.</p>"
            : Table(["Target", "Partner", "Kind", "Failed", "Waiting to retry", "Most attempts", "Last error", "Next attempt", ""], targets.Select(t => Row(
                E(t.Target), E(t.Partner), E(t.Kind), Number(t.Failed), Number(t.Retrying), Number(t.MostAttempts),
                $"<span class=\"error\">{E(t.LastError)}</span>", Time(t.NextAttemptAt), DeliveryForms.RetryButton(t.Target, token))), "failing-targets");
        var outcome = done is null ? "" : $"<p id=\"delivery-action\" class=\"ok\">{E(done)}</p>";
        return Page(context, "Failing deliveries", outcome + "<h2>Subscriptions in error</h2>" + subscriptions + "<h2>Deliveries failing or retrying</h2>" + failing);
    }
}
