using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
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
        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } encoded
            && Decode(encoded) is [var user, var password]
            && (partners.File.Operators ?? []).FirstOrDefault(o => o.User == user) is { } login
            && Environment.GetEnvironmentVariable(login.PasswordEnv) is { Length: > 0 } expected
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(expected)))
        {
            return true;
        }

        http.Response.Headers.WWWAuthenticate = "Basic realm=\"Interop Gateway jobs\", charset=\"UTF-8\"";
        return false;
    }

    private static string[]? Decode(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : [text[..colon], text[(colon + 1)..]];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
