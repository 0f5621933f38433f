namespace Gateway.Fhir.Partners;

/// <summary>
/// The area a commissioner funds (SPEC §8, §10): patients whose postcode starts with one of the
/// prefixes (an ICB: WS1, WS2; the Dutch four digits: 8261), or whose address names one of the
/// municipalities (CBS code such as GM0166, in <c>Patient.address.district</c>).
/// </summary>
public sealed record CommissionerArea(IReadOnlyList<string>? PostcodePrefixes, IReadOnlyList<string>? MunicipalityCodes)
{
    /// <summary>Postcode prefixes as compared: upper case, without spaces.</summary>
    public IReadOnlyList<string> NormalisedPrefixes => (PostcodePrefixes ?? []).Select(Postcodes.Normalise).Where(p => p.Length > 0).ToList();

    public IReadOnlyList<string> NormalisedMunicipalities => (MunicipalityCodes ?? []).Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).ToList();
}

/// <summary>Postcodes as the area rules compare them, and the district a report groups them by.</summary>
public static class Postcodes
{
    public static string Normalise(string postcode) => postcode.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
}
