using Gateway.Api.Smart;
using Gateway.Fhir.Audit;

namespace Gateway.Api.Access;

/// <summary>
/// One audited request's AuditEvent, stored once, before the first byte of its response goes out
/// (SPEC §8). <see cref="AuditMiddleware"/> calls <see cref="StoreAsync"/> from the response's
/// OnStarting (where the status is final) and again when the pipeline is done, for a request whose
/// response never started; whichever comes first stores, the other awaits the same task. A 5xx
/// response is the exception: it does not wait (see <see cref="Store"/>).
/// </summary>
internal sealed partial class RequestAudit(HttpContext context, string interaction, string? type, string? id)
{
    private Task? _stored;
    private bool _withheld;

    public Task StoreAsync() => _stored ??= Store();

    /// <summary>The OnStarting callback: on failure the connection is cut, so neither headers nor data leave.</summary>
    public static async Task BeforeResponse(object state)
    {
        var audit = (RequestAudit)state;
        try
        {
            await audit.StoreAsync();
        }
        catch (AuditTrailUnavailableException e)
        {
            audit.Withhold(e);
            // Thrown on as well: Kestrel then refuses every write of this response.
            throw;
        }
    }

    /// <summary>Cuts the connection: the client sees no status and no body, as if the gateway had died before answering.</summary>
    public void Withhold(AuditTrailUnavailableException reason)
    {
        if (_withheld)
        {
            return;
        }

        _withheld = true;
        LogWithheld(context.RequestServices.GetRequiredService<ILogger<RequestAudit>>(), reason, context.Request.Method, context.Request.Path.Value ?? "/", context.TraceIdentifier);
        context.Abort();
    }

    private Task Store()
    {
        var (actedType, actedId) = (type, id);
        // A console action names what it acted on, which its route does not ("Subscription/{id}").
        if (context.Items[AuditMiddleware.ActedOnItem] is string actedOn && actedOn.Split('/', 2) is [var named, var namedId])
        {
            (actedType, actedId) = (named, namedId);
        }

        var caller = context.Caller();
        var record = new AuditRecord(
            context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            caller?.ClientId ?? context.Items[AuditMiddleware.TokenClientItem] as string,
            caller?.PartnerId,
            context.Request.Method,
            interaction,
            actedType,
            actedId,
            context.Request.QueryString.HasValue ? context.Request.QueryString.Value!.TrimStart('?') : null,
            context.Response.StatusCode,
            context.Connection.RemoteIpAddress?.ToString());
        var stored = context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(record);
        if (record.Status < StatusCodes.Status500InternalServerError)
        {
            return stored;
        }

        // The gateway's own failure carries no data, only an OperationOutcome, and its usual cause
        // (PostgreSQL away, issue 17) would fail the AuditEvent too: holding it back would turn a
        // 503 with Retry-After into a cut connection. So it is queued without waiting (a failure is
        // logged by the writer), as every AuditEvent was before.
        _ = stored.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Withheld the response to {Method} {Path} (request {TraceId}): its AuditEvent could not be stored")]
    private static partial void LogWithheld(ILogger logger, Exception exception, string method, string path, string traceId);
}
