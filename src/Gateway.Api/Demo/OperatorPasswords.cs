using System.Security.Cryptography;
using Gateway.Fhir.Partners;

namespace Gateway.Api.Demo;

/// <summary>
/// Whether operators can log into the console and <c>/jobs</c>, and with what. An operator's
/// password is the environment variable its partners-file entry names. In Development (the
/// sandbox) an operator whose variable is unset gets a new random password for this run, set in
/// that variable and printed in the banner, so the console works on the first start. Never in any
/// other environment: there an unset variable keeps that operator out, and the start says so.
/// </summary>
public sealed record OperatorPasswords(IReadOnlyList<OperatorPassword> Operators)
{
    public static OperatorPasswords Prepare(PartnerDirectory partners, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(partners);
        ArgumentNullException.ThrowIfNull(environment);
        var operators = new List<OperatorPassword>();
        string? generated = null;
        foreach (var login in partners.File.Operators ?? [])
        {
            if (Environment.GetEnvironmentVariable(login.PasswordEnv) is { Length: > 0 })
            {
                operators.Add(new OperatorPassword(login.User, login.PasswordEnv, Generated: null));
            }
            else if (environment.IsDevelopment())
            {
                generated ??= RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 20);
                Environment.SetEnvironmentVariable(login.PasswordEnv, generated);
                operators.Add(new OperatorPassword(login.User, login.PasswordEnv, generated));
            }
            else
            {
                operators.Add(new OperatorPassword(login.User, login.PasswordEnv, Generated: null, IsSet: false));
            }
        }

        // Commissioner logins (the outcomes page only) the same way, with a password of their own.
        foreach (var login in partners.File.CommissionerLogins ?? [])
        {
            var isSet = Environment.GetEnvironmentVariable(login.PasswordEnv) is { Length: > 0 };
            var made = !isSet && environment.IsDevelopment() ? RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 20) : null;
            if (made is not null)
            {
                Environment.SetEnvironmentVariable(login.PasswordEnv, made);
            }

            operators.Add(new OperatorPassword(login.User, login.PasswordEnv, made, isSet || made is not null, login.Commissioner));
        }

        return new OperatorPasswords(operators);
    }

    /// <summary>Whether at least one operator can log in.</summary>
    public bool LoginOn => Operators.Any(o => o.IsSet && o.Commissioner is null);

    /// <summary>The banner's lines about operator login.</summary>
    public IEnumerable<string> BannerLines()
    {
        if (Operators.Count == 0)
        {
            yield return "Operator login is off: the partners file has no operators (operators: [{ \"user\", \"passwordEnv\" }]).";
            yield break;
        }

        foreach (var login in Operators)
        {
            yield return login switch
            {
                { Commissioner: { } commissioner, Generated: { } made } =>
                    $"Commissioner login     user {login.User}, password {made}   (outcomes page only, as {commissioner}; set {login.PasswordEnv} to choose one)",
                { Commissioner: { } commissioner, IsSet: true } => $"Commissioner login     user {login.User}, the password in {login.PasswordEnv} (outcomes page only, as {commissioner})",
                { Commissioner: not null } => $"Commissioner login is off for {login.User}: {login.PasswordEnv} is not set.",
                { Generated: { } password } => $"Operator login         user {login.User}, password {password}   (a development password for this run; set {login.PasswordEnv} to choose one)",
                { IsSet: true } => $"Operator login         user {login.User}, the password in {login.PasswordEnv}",
                _ => $"Operator login is off for {login.User}: {login.PasswordEnv} is not set. Set it and restart to use the console and /jobs.",
            };
        }
    }
}

/// <summary>One operator (or commissioner login, with the commissioner it acts for) of the partners file: whether its password variable is set, and the development password made for it, if one was.</summary>
public sealed record OperatorPassword(string User, string PasswordEnv, string? Generated, bool IsSet = true, string? Commissioner = null);
