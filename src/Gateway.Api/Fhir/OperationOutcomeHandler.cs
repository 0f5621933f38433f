using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Diagnostics;

namespace Gateway.Api.Fhir;

/// <summary>
/// The one place failures become OperationOutcomes (STYLE rule 5): a <see cref="FhirException"/>
/// keeps its status and issues; a rejected HTTP request (body too large, malformed) its status;
/// PostgreSQL being away a 503 with Retry-After (<see cref="DatabaseOutage"/>); anything else is a
/// 500 that names the request id (X-Request-ID) and nothing internal.
/// </summary>
public sealed partial class OperationOutcomeHandler(ILogger<OperationOutcomeHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            FhirException fhir => FhirResult.Outcome(fhir.StatusCode, fhir.Issues),
            // Two writers locking the same resources in opposite orders: PostgreSQL ends one of
            // them, nothing of it is stored, and sending it again succeeds (409 as HAPI answers).
            Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure } =>
                FhirResult.Outcome(StatusCodes.Status409Conflict, [FhirException.Issue(OperationOutcome.IssueType.Transient,
                    "The request met a concurrent change to the same resources and was rolled back; nothing was stored. Send it again.")]),
            _ when DatabaseOutage.Is(exception) => Unavailable(httpContext, exception),
            // The edges refuse NUL characters (JSON, search, records); this is the net under them.
            Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.CharacterNotInRepertoire or Npgsql.PostgresErrorCodes.UntranslatableCharacter } =>
                Unstorable(httpContext),
            BadHttpRequestException bad => FhirResult.Outcome(bad.StatusCode, [FhirException.Issue(
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? OperationOutcome.IssueType.TooLong : OperationOutcome.IssueType.Invalid,
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than this server accepts." : bad.Message)]),
            _ => Unexpected(httpContext, exception),
        };

        // The request's own format may be what failed to negotiate; fall back to JSON then.
        if (exception is NotSupportedByServerException { StatusCode: StatusCodes.Status406NotAcceptable })
        {
            httpContext.Items[nameof(FhirFormat)] = FhirFormat.Json;
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }

    // Before the edges refused NUL, one valid search in ~300 after such failures (8 at a time) met
    // "Received unexpected backend message DataRow" on the pooled connection a failed statement had
    // used (auto-prepared statements, we suspect). Idle connections are dropped rather than handed on.
    private static FhirResult Unstorable(HttpContext httpContext)
    {
        httpContext.RequestServices.GetRequiredService<Npgsql.NpgsqlDataSource>().Clear();
        return FhirResult.Outcome(StatusCodes.Status400BadRequest, [FhirException.Issue(OperationOutcome.IssueType.Invalid,
            "The request holds a character this server cannot store (a NUL, \\u0000 or %00); nothing was stored. Leave it out.")]);
    }

    private FhirResult Unexpected(HttpContext httpContext, Exception exception)
    {
        LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
        return FhirResult.Outcome(StatusCodes.Status500InternalServerError, [FhirException.Issue(OperationOutcome.IssueType.Exception,
            $"The server failed to process the request; quote request id {httpContext.TraceIdentifier} (X-Request-ID) to the operators.")]);
    }

    private FhirResult Unavailable(HttpContext httpContext, Exception exception)
    {
        LogUnavailable(logger, exception.Message, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return FhirResult.Outcome(StatusCodes.Status503ServiceUnavailable, [FhirException.Issue(OperationOutcome.IssueType.Transient,
            $"The gateway's database is unavailable; nothing was done. Send the request again after {DatabaseOutage.RetryAfterSeconds} seconds (Retry-After).")]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable in {Method} {Path}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path} (trace {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path, string traceId);
}
