using System.Text.RegularExpressions;

namespace Gateway.Fhir.Export;

/// <summary>
/// The coarse area of a postcode that an evaluator may have (SPEC §10): the UK outward code
/// ("WS2 8LD" gives "WS2") or the four digits of a Dutch postcode ("8261 CJ" gives "8261").
/// </summary>
public static partial class PostcodeDistrict
{
    public static string? Of(string? postcode)
    {
        var compact = (postcode ?? "").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (DutchPostcode().IsMatch(compact))
        {
            return compact[..4];
        }

        // A UK inward code is always a digit and two letters, so the outward code is what comes before.
        return UkPostcode().IsMatch(compact) ? compact[..^3] : null;
    }

    [GeneratedRegex("^[1-9][0-9]{3}[A-Z]{2}$")]
    private static partial Regex DutchPostcode();

    [GeneratedRegex("^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")]
    private static partial Regex UkPostcode();
}
