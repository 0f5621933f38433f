namespace Gateway.Api.Console;

/// <summary>The operator console (issue 10): server-rendered pages and a JSON API under /console, operators only. Nothing but routes.</summary>
public static class ConsoleEndpoints
{
    public static RouteGroupBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/console").WithTags("Operator console").ExcludeFromDescription();

        var api = console.MapGroup("/api").AllowAnonymous().AddEndpointFilter(ConsoleAuth.RequireOperator);
        api.MapGet("/referrals/{taskId}/timeline", TimelineApi.Handle).WithName("console-referral-timeline");
        return console;
    }
}
