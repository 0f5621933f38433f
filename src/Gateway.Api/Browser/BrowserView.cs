using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace Gateway.Api.Browser;

/// <summary>
/// A readable page for a person who opens an API URL in a browser, as HAPI FHIR's test page does:
/// a GET under <c>/fhir</c>, <c>/records</c> or <c>/health</c> whose Accept prefers <c>text/html</c>
/// explicitly (browsers send <c>text/html,…,application/xml;q=0.9,*/*;q=0.8</c>) is answered as
/// JSON by the endpoint and shown here pretty-printed and HTML-escaped, in a page without scripts.
/// Clients are untouched: <c>*/*</c>, any FHIR or JSON/XML type preferred at least as much, and
/// <c>_format</c> all get the endpoint's own answer.
/// </summary>
public static partial class BrowserView
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task Render(HttpContext http, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        if (!Applies(http.Request))
        {
            await next(http);
            return;
        }

        http.Request.Headers.Accept = "application/fhir+json, application/json;q=0.9";
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        http.Response.Headers.Vary = HeaderNames.Accept;
        var json = Json(buffer.ToArray(), http.Response.ContentType);
        if (json is null)
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(original, http.RequestAborted);
            return;
        }

        var page = Page(http, json);
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.ContentLength = null;
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        await http.Response.WriteAsync(page, http.RequestAborted);
    }

    /// <summary>Whether this request comes from a person's browser: a GET that asks for HTML before any JSON or XML, and no <c>_format</c>.</summary>
    public static bool Applies(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method) || request.Query.ContainsKey("_format")
            || !(request.Path.StartsWithSegments("/fhir") || request.Path.StartsWithSegments("/records") || request.Path.StartsWithSegments("/health")))
        {
            return false;
        }

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accept))
        {
            return false;
        }

        double? html = null;
        double data = 0;
        foreach (var type in accept)
        {
            var quality = type.Quality ?? 1;
            var name = type.MediaType.Value?.ToLowerInvariant();
            if (name is "text/html" or "application/xhtml+xml")
            {
                html = Math.Max(html ?? 0, quality);
            }
            else if (name is not null && Fhir.FhirFormat.Parse(name) is not null)
            {
                data = Math.Max(data, quality);
            }
        }

        return html is { } wanted && wanted > 0 && wanted >= data;
    }

    private static string? Json(byte[] body, string? contentType)
    {
        if (body.Length == 0 || contentType is null || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body)?.ToJsonString(Pretty);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Page(HttpContext http, string json)
    {
        var request = http.Request;
        var target = request.Path + request.QueryString;
        var status = http.Response.StatusCode;
        var origin = $"{request.Scheme}://{request.Host}";
        var raw = request.Path.StartsWithSegments("/fhir")
            ? $" As a client gets it: <a id=\"raw-json\" href=\"{E(WithFormat(request, "json"))}\">JSON</a> · <a id=\"raw-xml\" href=\"{E(WithFormat(request, "xml"))}\">XML</a>."
            : "";
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{E(target)}} · Interop Gateway</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1f23; }
            header a { color: #005eb8; text-decoration: none; font-weight: 600; }
            h1 { font-size: 1.1rem; font-family: ui-monospace, monospace; word-break: break-all; }
            .status { display: inline-block; padding: .1rem .5rem; border-radius: .3rem; background: {{(status < 400 ? "#e3f2e6" : "#fde8e8")}}; }
            pre { background: #f6f8fa; padding: 1rem; border-radius: .4rem; overflow-x: auto; font-size: .9rem; line-height: 1.35; }
            pre a { color: #005eb8; }
            p.note { color: #57606a; font-size: .9rem; }
            </style>
            </head>
            <body>
            <header><a href="/">Interop Gateway</a></header>
            <h1>GET {{E(target)}}</h1>
            <p><span class="status" id="status">HTTP {{status}} {{E(ReasonPhrase(status))}}</span></p>
            <p class="note">The browser view of the gateway's answer.{{raw}} API clients get JSON or XML as they ask (Accept, _format).</p>
            <pre id="body">{{Linked(WebUtility.HtmlEncode(json), origin)}}</pre>
            </body>
            </html>
            """;
    }

    private static string WithFormat(HttpRequest request, string format)
    {
        var query = request.Query.Where(q => q.Key != "_format").SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"));
        return request.Path + "?" + string.Join('&', query.Append("_format=" + format));
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    // Absolute URLs of this gateway in the answer (a Bundle's fullUrl and paging links) open in the browser view too.
    private static string Linked(string encodedJson, string origin) => QuotedUrl().Replace(encodedJson, m =>
        WebUtility.HtmlDecode(m.Groups["url"].Value).StartsWith(origin + "/", StringComparison.OrdinalIgnoreCase)
            ? $"&quot;<a href=\"{m.Groups["url"].Value}\">{m.Groups["url"].Value}</a>&quot;"
            : m.Value);

    [GeneratedRegex("&quot;(?<url>https?://[^&\\s]+(?:&amp;[^&\\s]+)*?)&quot;")]
    private static partial Regex QuotedUrl();
}
