using Gateway.Fhir.Partners;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary><c>/console/login</c> and <c>/console/logout</c>: an operator of the partners file logs in with its password; a wrong one learns nothing more.</summary>
public static class LoginPage
{
    public static IResult Show(HttpContext context, string? returnUrl) => Form(context, returnUrl, message: null, StatusCodes.Status200OK);

    public static async Task<IResult> LogIn(HttpContext context, IAntiforgery antiforgery, PartnerDirectory partners)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Forged(context);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = form["user"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        var password = form["password"].ToString();
        if (OperatorLogins.Verify(partners, user, password))
        {
            await context.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(user));
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/console");
        }

        if (CommissionerLogins.Verify(partners, user, password) is { } commissioner)
        {
            // A commissioner sees the outcomes page and nothing else, wherever it was going.
            await context.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(commissioner));
            return Results.Redirect(OutcomesPage.Path);
        }

        // One message whether the user is unknown, has no password set, or typed it wrong.
        return Form(context, returnUrl, "The user name or password is not right.", StatusCodes.Status401Unauthorized);
    }

    public static async Task<IResult> LogOut(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Forged(context);
        }

        await context.SignOutAsync(ConsoleAuth.Scheme);
        return Results.Redirect("/console/login");
    }

    // Only back into the console: never an open redirect.
    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url.StartsWith("/console", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal);

    private static IResult Form(HttpContext context, string? returnUrl, string? message, int status) => Page(context, "Operator login", $"""
        {(message is null ? "" : $"<p class=\"error\" id=\"login-error\">{E(message)}</p>")}
        <form method="post" action="/console/login" id="login">
          {Antiforgery(context)}
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <p><label for="user">User</label><input id="user" name="user" autocomplete="username" required></p>
          <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
          <p><button type="submit">Log in</button></p>
        </form>
        <p class="muted">Operators are the <code>operators</code> of the partners file, commissioners its <code>commissionerLogins</code> (they see the outcomes page only); the password is in the environment variable each names.</p>
        """, status);
}
