using Gateway.Fhir.Partners;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// The commissioner logins of the partners file (<c>commissionerLogins</c>: a user, the environment
/// variable holding its password, and the commissioner partner it acts for). Such a login sees the
/// console's outcomes page only, for that commissioner's area and programmes, always suppressed.
/// Its variable unset: it does not get in.
/// </summary>
public static class CommissionerLogins
{
    /// <returns>The login whose user and password these are, or null.</returns>
    public static CommissionerLogin? Verify(PartnerDirectory partners, string? user, string? password) =>
        user is not null && password is not null
        && (partners.File.CommissionerLogins ?? []).FirstOrDefault(c => c.User == user) is { } login
        && OperatorLogins.PasswordMatches(login.PasswordEnv, password)
            ? login
            : null;
}
