using System.Security.Claims;
using Gateway.Api.Access;
using Gateway.Fhir.Partners;
using Microsoft.AspNetCore.Authentication;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// Operators in the console: a cookie after logging in with an operator of the partners file, or
/// (for the JSON API, as on /jobs) HTTP Basic with the same credential on every request.
/// A commissioner login gets the same cookie with the commissioner role: the outcomes page only.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "console";
    public const string Policy = "console-operator";
    public const string CookieName = "gateway-console";

    /// <summary>The outcomes page: an operator or a commissioner login.</summary>
    public const string OutcomesPolicy = "console-outcomes";
    public const string OperatorRole = "operator";
    public const string CommissionerRole = "commissioner";

    /// <summary>The commissioner partner a commissioner login acts for.</summary>
    public const string CommissionerClaim = "gateway:commissioner";

    /// <summary>Refuses a request without an operator credential (401, Basic challenge); otherwise notes the operator for the audit trail.</summary>
    public static async ValueTask<object?> RequireOperator(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var user = OperatorLogins.FromBasic(http.RequestServices.GetRequiredService<PartnerDirectory>(), http.Request);
        if (user is null && (await http.AuthenticateAsync(Scheme)).Principal is { Identity.IsAuthenticated: true } principal && principal.IsInRole(OperatorRole))
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
        var principal = context.HttpContext.User;
        if (principal.Identity is { IsAuthenticated: true, Name: { } user })
        {
            context.HttpContext.Items[AuditMiddleware.TokenClientItem] = CommissionerOf(principal) is null ? AuditName(user) : "commissioner:" + user;
        }

        return next(context);
    }

    public static ClaimsPrincipal Principal(string user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, OperatorRole)], Scheme));

    public static ClaimsPrincipal Principal(CommissionerLogin login) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, login.User), new Claim(ClaimTypes.Role, CommissionerRole), new Claim(CommissionerClaim, login.Commissioner)], Scheme));

    /// <summary>The commissioner partner a commissioner login acts for; null for an operator.</summary>
    public static string? CommissionerOf(ClaimsPrincipal principal) =>
        principal.IsInRole(CommissionerRole) ? principal.FindFirst(CommissionerClaim)?.Value : null;

    public static string AuditName(string user) => "operator:" + user;

    private static void NoteForAudit(HttpContext http, string user) => http.Items[AuditMiddleware.TokenClientItem] = AuditName(user);
}
