using System.Text.Encodings.Web;

namespace Gateway.Api.Browser;

/// <summary><c>/</c>: where everything is, as the start-up banner lists it, for a person who opens the gateway's address.</summary>
public static class LandingPage
{
    private static readonly (string Path, string Label, string What)[] Links =
    [
        ("fhir/metadata", "CapabilityStatement", "what the FHIR API can do (no token needed)"),
        ("fhir/.well-known/smart-configuration", "SMART configuration", "the token endpoint and the algorithms it takes"),
        ("openapi", "API reference", "the record API, the token endpoint and the probes (OpenAPI)"),
        ("console", "Operator console", "partners, referrals, rejected records, failing deliveries (operator login)"),
        ("jobs", "Jobs dashboard", "Hangfire: recurring jobs, retries, failures (operator login)"),
        ("health/ready", "Readiness", "PostgreSQL and the job storage"),
    ];

    public static IEndpointRouteBuilder MapLandingPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Show).ExcludeFromDescription();
        return app;
    }

    public static IResult Show(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/";
        var items = string.Concat(Links.Select(l =>
            $"<li><a href=\"{E(root + l.Path)}\">{E(l.Label)}</a> <code>{E(root + l.Path)}</code><br><span>{E(l.What)}</span></li>\n"));
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Interop Gateway</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 52rem; color: #1b1f23; }
            li { margin: .6rem 0; } li span { color: #57606a; font-size: .9rem; } a { color: #005eb8; font-weight: 600; }
            code, pre { font-family: ui-monospace, monospace; font-size: .85rem; } pre { background: #f6f8fa; padding: .8rem; border-radius: .4rem; overflow-x: auto; }
            </style>
            </head>
            <body>
            <h1>Interop Gateway</h1>
            <p>A FHIR R4 gateway for social prescribing. FHIR base: <code id="fhir-base">{{E(root)}}fhir</code></p>
            <ul id="links">
            {{items}}</ul>
            <p>Every <code>/fhir</code> call but the two above needs a bearer token. At the repository root:</p>
            <pre>dotnet run --project src/Gateway.Cli -- token --gateway {{E(root)}} --client hillside-emis --scope "system/ServiceRequest.crs system/Task.rs"</pre>
            <p>The operator login (and in the sandbox its development password) is in the banner the gateway printed when it started.</p>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
