namespace Gateway.Fhir.Partners;

/// <summary>The partners file's <c>commissionerLogins</c>: each names its password variable and a commissioner partner, and no user is also an operator.</summary>
internal static class CommissionerLoginChecks
{
    public static void Check(PartnersFile file, List<string> problems)
    {
        var operators = (file.Operators ?? []).Select(o => o.User).ToHashSet(StringComparer.Ordinal);
        var users = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < (file.CommissionerLogins?.Count ?? 0); c++)
        {
            var login = file.CommissionerLogins![c];
            var at = $"commissionerLogins[{c}]";
            if (string.IsNullOrWhiteSpace(login.User) || string.IsNullOrWhiteSpace(login.PasswordEnv) || string.IsNullOrWhiteSpace(login.Commissioner))
            {
                problems.Add($"{at}: needs 'user', 'passwordEnv' (the environment variable holding the password) and 'commissioner' (the commissioner partner it acts for).");
                continue;
            }

            if (file.Partners?.FirstOrDefault(p => p.Id == login.Commissioner) is not { } partner)
            {
                problems.Add($"{at}.commissioner: '{login.Commissioner}' is not a partner in this file.");
            }
            else if (partner.Kind != PartnerKinds.Commissioner)
            {
                problems.Add($"{at}.commissioner: '{login.Commissioner}' is a partner of kind '{partner.Kind}', not 'commissioner'.");
            }

            if (operators.Contains(login.User) || !users.Add(login.User))
            {
                problems.Add($"{at}.user: '{login.User}' is already an operator or another commissioner login; a login acts for one role only.");
            }
        }
    }
}
