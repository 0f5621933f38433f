namespace Gateway.Fhir.Partners;

/// <summary>
/// The checks of a commissioner's settings: an area (postcode prefixes or municipality codes, at
/// least one), the programmes it funds (referral-service codes; none: every programme), and
/// clients that only read (it writes nothing but its own Subscriptions).
/// </summary>
internal static class CommissionerSettings
{
    private static readonly string[] KnownProgrammes = ["social-prescribing", "welzijn-op-recept", "gp-review", "health-check", "mental-health-support"];

    public static void Check(Partner partner, string at, List<string> problems)
    {
        if (partner.Kind != PartnerKinds.Commissioner)
        {
            if (partner.Area is not null || partner.Programmes is not null)
            {
                problems.Add($"{at}: 'area' and 'programmes' belong to a commissioner; this partner is a {partner.Kind}.");
            }

            return;
        }

        if (partner.Area is not { } area || (area.NormalisedPrefixes.Count == 0 && area.NormalisedMunicipalities.Count == 0))
        {
            problems.Add($"{at}.area: a commissioner needs an area: 'postcodePrefixes' (e.g. [\"WS1\", \"WS2\"]) or 'municipalityCodes' (e.g. [\"GM0166\"]).");
        }

        foreach (var programme in (partner.Programmes ?? []).Where(p => !KnownProgrammes.Contains(p)))
        {
            problems.Add($"{at}.programmes: '{programme}' is not a referral-service code ({string.Join(", ", KnownProgrammes)}).");
        }
    }
}
