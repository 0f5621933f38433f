using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;

namespace Gateway.Api.Smart;

/// <summary>
/// Who is calling, filled once per request from the validated token: the client, its partner and
/// the granted scopes. A token of a client the partners file no longer lists is refused.
/// </summary>
public static class CallerResolution
{
    public static CallingPartner? Caller(this HttpContext context) => context.Items[nameof(CallingPartner)] as CallingPartner;

    public static CallingPartner RequiredCaller(this HttpContext context) =>
        context.Caller() ?? throw new InvalidOperationException("No authenticated caller; the endpoint must require authorization.");

    public static async Task Resolve(HttpContext context, RequestDelegate next)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var clientId = context.User.FindFirst(GatewayClaims.ClientId)?.Value;
            var partners = context.RequestServices.GetRequiredService<PartnerDirectory>();
            if (clientId is null || !partners.TryFindClient(clientId, out var partner, out _))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            context.Items[nameof(CallingPartner)] = new CallingPartner(clientId, partner.Id, partner.Kind,
                SmartScopes.Parse(context.User.FindFirst(GatewayClaims.Scope)?.Value));
        }

        await next(context);
    }
}
