using Hl7.Fhir.Model;

namespace Gateway.Fhir.Conformance;

/// <summary>The resource types the gateway serves (SPEC §3): the workflow's and the conformance resources of profiles/.</summary>
public static class SupportedResources
{
    public static readonly IReadOnlyList<string> Types =
    [
        "Patient", "Organization", "Practitioner", "PractitionerRole", "ServiceRequest", "Task",
        "QuestionnaireResponse", "Questionnaire", "Consent", "Subscription", "Provenance", "AuditEvent",
        "StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "SearchParameter", "CapabilityStatement",
        // The service directory (SPEC §11).
        "HealthcareService", "Location",
        // Outcome measures (SPEC §10).
        "Measure", "MeasureReport",
    ];

    private static readonly HashSet<string> TypeSet = new(Types, StringComparer.Ordinal);

    public static bool IsSupported(string type) => TypeSet.Contains(type);

    public static bool IsFhirType(string type) => ModelInfo.IsKnownResource(type);
}
