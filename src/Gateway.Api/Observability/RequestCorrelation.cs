using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gateway.Api.Observability;

/// <summary>
/// One correlation id per request: the caller's <c>X-Request-ID</c>, else the trace id of its W3C
/// <c>traceparent</c>, else a new one. It becomes the request's <see cref="HttpContext.TraceIdentifier"/>
/// (so a 500 OperationOutcome quotes it), is echoed as <c>X-Request-ID</c> on the response, and
/// is in a log scope around everything the request logs.
/// </summary>
public static partial class RequestCorrelation
{
    public const string Header = "X-Request-ID";
    public const string ScopeKey = "CorrelationId";
    private const string TraceParent = "traceparent";

    public static IApplicationBuilder UseRequestCorrelation(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestCorrelation).FullName!);
        return app.Use(async (context, next) =>
        {
            var id = IdOf(context.Request.Headers);
            context.TraceIdentifier = id;
            Activity.Current?.SetTag("gateway.request_id", id);
            // Set when the response starts: the exception handler clears headers set earlier.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = id;
                return Task.CompletedTask;
            });
            using (logger.BeginScope(new Dictionary<string, object> { [ScopeKey] = id }))
            {
                await next(context);
            }
        });
    }

    /// <summary>The id the request brings (a sane <c>X-Request-ID</c>, or a valid traceparent's trace id), or a new one.</summary>
    public static string IdOf(IHeaderDictionary headers)
    {
        if (headers[Header].ToString() is { Length: > 0 } given && SaneId().IsMatch(given))
        {
            return given;
        }

        if (TraceParentId().Match(headers[TraceParent].ToString()) is { Success: true } parent && parent.Groups[1].Value != new string('0', 32))
        {
            return parent.Groups[1].Value;
        }

        return Activity.Current?.TraceId.ToHexString() is { } trace && trace != new string('0', 32) ? trace : Guid.NewGuid().ToString("N");
    }

    // Anything else (too long, spaces, control characters) is not echoed into headers and logs.
    [GeneratedRegex("^[A-Za-z0-9._:@/+=-]{1,128}$")]
    private static partial Regex SaneId();

    [GeneratedRegex("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")]
    private static partial Regex TraceParentId();
}
