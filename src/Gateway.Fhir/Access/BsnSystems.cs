namespace Gateway.Fhir.Access;

/// <summary>
/// The two ways a BSN's system is written: the Dutch NamingSystem URI and its OID (Nictiz,
/// "BSN"). Both are the BSN, for data minimisation and for search (SPEC §8).
/// </summary>
public static class BsnSystems
{
    public const string Uri = "http://fhir.nl/fhir/NamingSystem/bsn";
    public const string Oid = "urn:oid:2.16.840.1.113883.2.4.6.3";

    private const string UriCore = "fhir.nl/fhir/NamingSystem/bsn";
    private const string OidCore = "2.16.840.1.113883.2.4.6.3";

    /// <summary>The forms a token index row's system may hold, lower-cased, to exclude them in SQL.</summary>
    public static readonly string[] LowerCaseForms =
        [Uri.ToLowerInvariant(), Uri.ToLowerInvariant() + "/", "https://" + UriCore.ToLowerInvariant(), Oid, OidCore];

    /// <summary>Whether <paramref name="system"/> is the BSN's, in either form (scheme, case and a trailing slash aside).</summary>
    public static bool IsBsn(string? system)
    {
        if (string.IsNullOrEmpty(system))
        {
            return false;
        }

        var trimmed = system.Trim().TrimEnd('/');
        return trimmed.EndsWith("://" + UriCore, StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals(Oid, StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals(OidCore, StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="text"/> (stored JSON, a search value) may name a BSN system; false means it surely does not.</summary>
    public static bool MayMention(string text) =>
        text.Contains(UriCore, StringComparison.OrdinalIgnoreCase) || text.Contains(OidCore, StringComparison.Ordinal);
}
