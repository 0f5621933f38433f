using System.Security.Claims;
using Gateway.Api.Access;
using Gateway.Fhir.Partners;
using Microsoft.AspNetCore.Authentication;

namespace Gateway.Api.Console;

/// <summary>
/// Operators in the console: a cookie after logging in with an operator of the partners file, or
/// (for the JSON API, as on /jobs) HTTP Basic with the same credential on every request.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "console";
    public const string Policy = "console-operator";
    public const string CookieName = "gateway-console";

    /// <summary>Refuses a request without an operator credential (401, Basic challenge); otherwise notes the operator for the audit trail.</summary>
    public static async ValueTask<object?> RequireOperator(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var user = OperatorLogins.FromBasic(http.RequestServices.GetRequiredService<PartnerDirectory>(), http.Request);
        if (user is null && (await http.AuthenticateAsync(Scheme)).Principal is { Identity.IsAuthenticated: true } principal)
        {
            user = principal.Identity.Name;
        }

        if (user is null)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Interop Gateway console\", charset=\"UTF-8\"";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Operator credential required",
                detail: "Send HTTP Basic with an operator of the partners file (as for /jobs), or log in at /console/login.");
        }

        NoteForAudit(http, user);
        return await next(context);
    }

    /// <summary>Notes the logged-in operator of a console page for the audit trail.</summary>
    public static ValueTask<object?> NoteOperator(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.User.Identity is { IsAuthenticated: true, Name: { } user })
        {
            NoteForAudit(context.HttpContext, user);
        }

        return next(context);
    }

    public static ClaimsPrincipal Principal(string user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], Scheme));

    public static string AuditName(string user) => "operator:" + user;

    private static void NoteForAudit(HttpContext http, string user) => http.Items[AuditMiddleware.TokenClientItem] = AuditName(user);
}
