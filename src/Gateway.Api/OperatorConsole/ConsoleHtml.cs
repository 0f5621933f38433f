using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// The console's page shell and the few HTML pieces every page uses. Everything that came from a
/// partner or the store goes through <see cref="E"/>; pages never build markup from raw values.
/// </summary>
internal static class ConsoleHtml
{
    private static readonly (string Path, string Label)[] Sections =
    [
        ("/console", "Home"),
        ("/console/referrals", "Referrals"),
        ("/console/partners", "Partners"),
        ("/console/records", "Rejected records"),
        ("/console/subscriptions", "Failing deliveries"),
        ("/console/directory", "Service directory"),
        (OutcomesPage.Path, "Outcomes"),
    ];

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A value for a query string inside an href (encoded for the URL, then for HTML).</summary>
    public static string Q(string? text) => E(Uri.EscapeDataString(text ?? ""));

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? $"<time datetime=\"{t.ToUniversalTime():O}\">{t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>" : "—";

    public static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A time something last happened, or "never".</summary>
    public static string TimeOrNever(DateTimeOffset? at) => at is null ? "never" : Time(at);

    /// <summary>The hidden antiforgery field every form posts.</summary>
    public static string Antiforgery(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    public static IResult Page(HttpContext context, string title, string body, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · Interop Gateway console</title>")
            .Append("<link rel=\"stylesheet\" href=\"/console/console.css\"></head><body><header><strong>Interop Gateway console</strong>");
        if (context.User.Identity is { IsAuthenticated: true, Name: { } user })
        {
            html.Append("<nav>");
            // A commissioner login has the outcomes page only.
            var commissioner = ConsoleAuth.CommissionerOf(context.User) is not null;
            foreach (var (path, label) in Sections.Where(s => !commissioner || s.Path == OutcomesPage.Path))
            {
                html.Append("<a href=\"").Append(path).Append("\">").Append(label).Append("</a>");
            }

            html.Append("</nav><form method=\"post\" action=\"/console/logout\" class=\"logout\">").Append(Antiforgery(context))
                .Append("<span id=\"operator\">").Append(E(user)).Append("</span> <button type=\"submit\">Log out</button></form>");
        }

        html.Append("</header><main><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static IResult NotFound(HttpContext context, string what) =>
        Page(context, "Not found", $"<p class=\"error\">{E(what)}</p>", StatusCodes.Status404NotFound);

    /// <summary>An antiforgery token missing or wrong: the form did not come from this console (or the page was too old).</summary>
    public static IResult Forged(HttpContext context) =>
        Page(context, "Form refused", "<p class=\"error\">The form could not be verified (it did not come from this console page, or the page is too old). Open the page again and resubmit.</p>",
            StatusCodes.Status400BadRequest);

    public static string Table(IEnumerable<string> headings, IEnumerable<string> rows, string id)
    {
        var html = new StringBuilder($"<table id=\"{E(id)}\"><thead><tr>");
        foreach (var heading in headings)
        {
            html.Append("<th>").Append(E(heading)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append(row);
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>A table row of cells already made HTML (encode values with <see cref="E"/>).</summary>
    public static string Row(params string[] cells) => "<tr>" + string.Concat(cells.Select(c => "<td>" + c + "</td>")) + "</tr>";

    public const string Css = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; }
        header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1rem; background: #12385b; color: #fff; }
        header a { color: #fff; margin-right: 1rem; }
        header .logout { margin-left: auto; }
        main { padding: 1rem; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
        th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #ccd; padding: .35rem .5rem; font-size: .92rem; }
        th { background: #eef2f7; }
        .error { color: #a00; font-weight: bold; }
        .ok { color: #060; font-weight: bold; }
        .muted { color: #666; }
        form.inline { display: inline; }
        label { margin-right: 1rem; }
        code { font-size: .85rem; }
        pre.raw { background: #f5f7fa; border: 1px solid #ccd; padding: .5rem; overflow: auto; max-height: 30rem; font-size: .85rem; white-space: pre-wrap; }
        ul.tiles { list-style: none; padding: 0; margin: 0 0 1.5rem; display: flex; flex-wrap: wrap; gap: .75rem; }
        ul.tiles a { display: block; padding: .6rem 1rem; border: 1px solid #ccd; border-radius: 4px; text-decoration: none; color: #12385b; background: #eef2f7; }
        ul.tiles .count { display: block; font-size: 1.6rem; font-weight: 700; }
        dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; }
        dt { font-weight: 600; }
        dd { margin: 0; }
        dd ul { margin: 0; padding-left: 1rem; }
        """;
}
