using Gateway.Api.Fhir;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Api.Access;

/// <summary>
/// A path holding a control character (a NUL, which <see cref="NulInRequestLine"/> hands on as
/// <c>%01</c>, or any other below <c>%20</c>) names no resource type, id or record: 400 with an
/// OperationOutcome under /fhir and /records, before routing or authentication look at it.
/// </summary>
public static class ControlCharacterPaths
{
    public static Task Refuse(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!path.HasValue || !path.Value.Any(char.IsControl))
        {
            return next(context);
        }

        if (!path.StartsWithSegments("/fhir") && !path.StartsWithSegments("/records"))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        context.Items[nameof(FhirFormat)] = FhirFormat.Json;
        return FhirResult.Outcome(StatusCodes.Status400BadRequest, [FhirException.Issue(OperationOutcome.IssueType.Invalid,
            "The path holds a control character (a NUL, %00, or another below %20); resource types, ids and record ids never do.")]).ExecuteAsync(context);
    }
}
