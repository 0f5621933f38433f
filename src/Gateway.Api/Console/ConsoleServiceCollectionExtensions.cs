using Gateway.Fhir.Timeline;

namespace Gateway.Api.Console;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The operator console: its login cookie (scoped to /console, never the APIs' default scheme), antiforgery and read models.</summary>
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
        });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.Policy, policy => policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "gateway-console-antiforgery";
            antiforgery.Cookie.Path = "/console";
            antiforgery.FormFieldName = "__antiforgery";
        });
        services.AddSingleton<ReferralTimeline>();
        return services;
    }
}
