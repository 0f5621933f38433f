using Gateway.Fhir.Overview;
using Gateway.Fhir.Records;
using Gateway.Fhir.Subscriptions;
using Gateway.Fhir.Timeline;

namespace Gateway.Api.OperatorConsole;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The operator console: its login cookie (scoped to /console, never the APIs' default scheme), antiforgery (shared with /jobs) and read models.</summary>
    public static IServiceCollection AddGatewayConsole(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, cookie =>
        {
            cookie.Cookie.Name = ConsoleAuth.CookieName;
            cookie.Cookie.Path = "/console";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/console/login";
            cookie.AccessDeniedPath = "/console/login";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToAccessDenied = ConsoleAccessDenied.Answer;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAuth.Policy, policy => policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser().RequireRole(ConsoleAuth.OperatorRole))
            .AddPolicy(ConsoleAuth.OutcomesPolicy, policy => policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser()
                .RequireRole(ConsoleAuth.OperatorRole, ConsoleAuth.CommissionerRole));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "gateway-console-antiforgery";
            // Site-wide, not /console: the Hangfire dashboard at /jobs finds this IAntiforgery too and checks
            // its own POSTs (statistics, Trigger now) with it (issue 21, item 7). The cookie is only half of a
            // token pair, worthless without the request token a page carries; the login cookie stays /console.
            antiforgery.Cookie.Path = "/";
            antiforgery.FormFieldName = "__antiforgery";
        });
        services.AddSingleton<ReferralTimeline>();
        services.AddSingleton<ReferralSearch>();
        services.AddSingleton<RejectedRecords>();
        services.AddSingleton<FailingDeliveries>();
        services.AddSingleton<PartnerHealth>();
        services.AddSingleton<ConsoleOverview>();
        services.AddSingleton<DeliveryActions>();
        return services;
    }
}
