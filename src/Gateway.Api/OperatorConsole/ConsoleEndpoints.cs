namespace Gateway.Api.OperatorConsole;

/// <summary>The operator console (issue 10): server-rendered pages and a JSON API under /console, operators only. Nothing but routes.</summary>
public static class ConsoleEndpoints
{
    public static RouteGroupBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/console").WithTags("Operator console").ExcludeFromDescription();
        console.MapGet("/console.css", () => Results.Text(ConsoleHtml.Css + Charts.ChartCss.Css, "text/css")).AllowAnonymous();
        console.MapGet("/login", LoginPage.Show).AllowAnonymous().WithName("console-login");
        console.MapPost("/login", LoginPage.LogIn).AllowAnonymous().DisableAntiforgery();

        // Forms validate their antiforgery token in the handler (IAntiforgery), so the host needs no antiforgery middleware.
        var pages = console.MapGroup("").RequireAuthorization(ConsoleAuth.Policy).AddEndpointFilter(ConsoleAuth.NoteOperator);
        pages.MapGet("", HomePage.Handle).WithName("console-home");
        pages.MapGet("/partners", PartnersPage.Handle).WithName("console-partners");
        pages.MapGet("/referrals", ReferralsPage.Handle).WithName("console-referrals");
        pages.MapGet("/referrals/{id}", ReferralPage.Handle).WithName("console-referral");
        pages.MapGet("/records", RecordsPage.Handle).WithName("console-records");
        pages.MapGet("/records/{id}", RecordPage.Show).WithName("console-record");
        pages.MapPost("/records/{id}/replay", RecordPage.Replay).WithName("console-replay").DisableAntiforgery();
        pages.MapGet("/subscriptions", SubscriptionsPage.Handle).WithName("console-subscriptions");
        pages.MapPost("/subscriptions/{id}/reactivate", DeliveryForms.Reactivate).WithName("console-reactivate").DisableAntiforgery();
        pages.MapPost("/deliveries/retry", DeliveryForms.Retry).WithName("console-retry").DisableAntiforgery();
        pages.MapGet("/directory", DirectoryPage.Handle).WithName("console-directory");

        // What a commissioner login may do too (ConsoleAuth.OutcomesPolicy).
        var outcomes = console.MapGroup("").RequireAuthorization(ConsoleAuth.OutcomesPolicy).AddEndpointFilter(ConsoleAuth.NoteOperator);
        outcomes.MapPost("/logout", LoginPage.LogOut).DisableAntiforgery();
        outcomes.MapOutcomes();

        var api = console.MapGroup("/api").AllowAnonymous().AddEndpointFilter(ConsoleAuth.RequireOperator);
        api.MapGet("/referrals/{taskId}/timeline", TimelineApi.Handle).WithName("console-referral-timeline");
        return console;
    }
}
