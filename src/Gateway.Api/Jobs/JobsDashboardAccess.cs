using Gateway.Api.Console;
using Gateway.Fhir.Partners;
using Hangfire.Dashboard;

namespace Gateway.Api.Jobs;

/// <summary>
/// The Hangfire dashboard (<c>/jobs</c>) needs an operator credential (SPEC §8): HTTP Basic with a
/// user of the partners file's <c>operators</c> and the password in the environment variable it
/// names. No operator configured, or its variable unset: nobody gets in.
/// </summary>
public sealed class JobsDashboardAccess(PartnerDirectory partners) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (OperatorLogins.FromBasic(partners, http.Request) is not null)
        {
            return true;
        }

        http.Response.Headers.WWWAuthenticate = "Basic realm=\"Interop Gateway jobs\", charset=\"UTF-8\"";
        return false;
    }
}
