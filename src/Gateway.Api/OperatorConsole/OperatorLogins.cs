using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Gateway.Fhir.Partners;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// The operators of the partners file (<c>operators</c>: a user and the environment variable
/// holding its password, SPEC §8). No operator configured, or its variable unset: nobody gets in.
/// </summary>
public static class OperatorLogins
{
    public static bool Verify(PartnerDirectory partners, string? user, string? password) =>
        user is not null && password is not null
        && (partners.File.Operators ?? []).FirstOrDefault(o => o.User == user) is { } login
        && PasswordMatches(login.PasswordEnv, password);

    /// <summary>
    /// Whether <paramref name="password"/> is the value of the environment variable
    /// <paramref name="passwordEnv"/> (compared in constant time); an unset or empty variable lets
    /// nobody in. Operator and commissioner logins both check their passwords this way.
    /// </summary>
    public static bool PasswordMatches(string passwordEnv, string password) =>
        Environment.GetEnvironmentVariable(passwordEnv) is { Length: > 0 } expected
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(expected));

    /// <returns>The operator an HTTP Basic <c>Authorization</c> header names with its right password; null otherwise.</returns>
    public static string? FromBasic(PartnerDirectory partners, HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
        && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } encoded
        && Decode(encoded) is [var user, var password] && Verify(partners, user, password)
            ? user
            : null;

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
