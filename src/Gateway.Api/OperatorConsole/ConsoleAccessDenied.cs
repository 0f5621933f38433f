using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// A login that may not see a console page (a commissioner login anywhere but the outcomes page)
/// gets 403 with a line saying where it may go, rather than the cookie handler's redirect to the
/// login form it has already passed.
/// </summary>
internal static class ConsoleAccessDenied
{
    public static async Task Answer(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(
            $"403: {context.Request.Path} is for operators. This login is a commissioner's: it sees /console/outcomes only.", context.HttpContext.RequestAborted);
    }
}
