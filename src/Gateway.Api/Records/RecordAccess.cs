using Gateway.Api.Smart;
using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Api.Records;

/// <summary>The record API is for a partner's client holding <c>gateway/records.write</c>; anything else is 403 naming the scope.</summary>
public static class RecordAccess
{
    public static ValueTask<object?> Check(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var caller = context.HttpContext.RequiredCaller();
        if (!caller.Scopes.Has(SmartScopes.RecordsWrite))
        {
            throw new FhirException(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                $"The record API needs an access token with scope {SmartScopes.RecordsWrite}; request it with the token (the partner's client must be allowed it in the partners file).");
        }

        return next(context);
    }
}
