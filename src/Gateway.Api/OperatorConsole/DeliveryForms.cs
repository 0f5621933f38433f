using Gateway.Api.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Subscriptions;
using Microsoft.AspNetCore.Antiforgery;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// The failing-deliveries page's two buttons (issue 21, item 9): <c>POST /console/deliveries/retry</c>
/// (form field <c>target</c>) and <c>POST /console/subscriptions/{id}/reactivate</c>. Each request is
/// an AuditEvent naming the operator (AuditMiddleware); each answers with the page and what it did.
/// </summary>
public static class DeliveryForms
{
    public static async Task<IResult> Retry(HttpContext context, IAntiforgery antiforgery, DeliveryActions actions, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Forged(context);
        }

        var target = context.Request.Form["target"].ToString();
        if (target.Length == 0)
        {
            return Page(context, "Retry refused", "<p class=\"error\">The form named no delivery target (field 'target').</p>", StatusCodes.Status400BadRequest);
        }

        context.Items[AuditMiddleware.ActedOnItem] = ActedOn(target);
        var rows = await actions.RetryAsync(target, ct);
        return Done($"{target}: {rows} notification(s) queued to be sent again.");
    }

    public static async Task<IResult> Reactivate(string id, HttpContext context, IAntiforgery antiforgery, DeliveryActions actions, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Forged(context);
        }

        context.Items[AuditMiddleware.ActedOnItem] = "Subscription/" + id;
        try
        {
            return Done(await actions.ReactivateAsync(id, ct)
                ? $"Subscription/{id} is requested again: the gateway will repeat its handshake, then send what it held back."
                : $"Subscription/{id} was not in error; nothing changed.");
        }
        catch (ResourceNotFoundException)
        {
            return NotFound(context, $"No Subscription/{id}.");
        }
    }

    public static string RetryButton(string target, string antiforgery) =>
        $"<form method=\"post\" action=\"/console/deliveries/retry\" class=\"inline\">{antiforgery}<input type=\"hidden\" name=\"target\" value=\"{E(target)}\"><button type=\"submit\" name=\"retry\">Retry</button></form>";

    public static string ReactivateButton(string subscriptionId, string antiforgery) =>
        $"<form method=\"post\" action=\"/console/subscriptions/{Q(subscriptionId)}/reactivate\" class=\"inline\">{antiforgery}<button type=\"submit\" name=\"reactivate\">Re-activate</button></form>";

    // The audit trail names a FHIR resource: the Subscription, the partner whose webhook it is, or the Task a partner FHIR copy is of.
    private static string ActedOn(string target) => target.Split('/') switch
    {
        ["webhook", var partner] => "Organization/" + partner,
        ["partner-fhir", _, var taskId] => "Task/" + taskId,
        _ => target,
    };

    // Post/redirect/get: reloading the page does not act again.
    private static IResult Done(string message) => Results.Redirect("/console/subscriptions?done=" + Uri.EscapeDataString(message));
}
