namespace Gateway.Fhir.Workflow;

/// <summary>
/// Whether a postcode lies in a routing rule's area. Dutch postcodes ("8261 AB") match by their
/// leading digits. A UK prefix is an outward code ("WS2", which must not take in "WS25 1AB")
/// or a bare area ("WS", every WS district).
/// </summary>
public static class PostcodeArea
{
    public static bool Matches(string postcode, string prefix)
    {
        var code = postcode.Trim().ToUpperInvariant();
        var area = prefix.Trim().ToUpperInvariant();
        if (area.Length == 0)
        {
            return false;
        }

        var outward = code.Length >= 4 && code[..4].All(char.IsAsciiDigit) ? code[..4]
            : code.Contains(' ', StringComparison.Ordinal) ? code[..code.IndexOf(' ', StringComparison.Ordinal)]
            : code.Length > 3 ? code[..^3] : code;
        if (area.All(char.IsAsciiDigit))
        {
            return outward.StartsWith(area, StringComparison.Ordinal);
        }

        return area.All(char.IsAsciiLetter)
            ? outward.StartsWith(area, StringComparison.Ordinal) && outward.Length > area.Length && char.IsAsciiDigit(outward[area.Length])
            : outward == area;
    }
}
