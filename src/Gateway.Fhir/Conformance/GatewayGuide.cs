namespace Gateway.Fhir.Conformance;

/// <summary>The gateway's implementation guide: one canonical base for every resource in profiles/.</summary>
public static class GatewayGuide
{
    public const string CanonicalBase = "https://interop-gateway.example/fhir";

    /// <summary>Where issue.details.coding of a profile-validation issue names the rule (see docs/adr/0004).</summary>
    public const string ValidationRuleSystem = CanonicalBase + "/CodeSystem/validation-rule";

    /// <summary>
    /// The conformance types profiles/ holds. They are served read-only: the folder is their source,
    /// so a client write would be lost at the next start (see docs/adr/0004).
    /// </summary>
    public static readonly IReadOnlySet<string> ConformanceTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "Questionnaire", "SearchParameter", "Measure",
    };

    /// <summary>Types only the gateway writes: MeasureReports are computed from the store (SPEC §10), never sent.</summary>
    public static bool IsComputed(string resourceType) => resourceType == "MeasureReport";

    /// <summary>Types clients may read and search but not write: the guide's, and the CapabilityStatement, which /metadata states.</summary>
    public static bool IsReadOnly(string resourceType) => ConformanceTypes.Contains(resourceType) || resourceType == "CapabilityStatement" || IsComputed(resourceType);

    public static string Canonical(string resourceType, string id) => $"{CanonicalBase}/{resourceType}/{id}";

    /// <summary>A canonical reference without its <c>|version</c> (FHIR R4 references.html#canonical) or <c>#fragment</c>.</summary>
    public static string WithoutVersion(string canonical)
    {
        var end = canonical.IndexOfAny(['|', '#']);
        return end < 0 ? canonical : canonical[..end];
    }
}
