using Hl7.Fhir.Model;

namespace Gateway.Fhir.Conformance;

/// <summary>
/// The guide's extension definitions (StructureDefinition of type Extension, FHIR R4
/// extensibility.html#define; ConformanceChecks checks their shape): where each may be used (its
/// contexts of type element), for the validator (Validation/Profiles/ExtensionChecks.cs).
/// </summary>
public static class ExtensionDefinitions
{
    public static bool IsExtension(StructureDefinition definition) => definition.Type == "Extension";

    /// <summary>The element paths of the contexts, split into steps (<c>MeasureReport.group.measureScore</c>).</summary>
    public static IReadOnlyList<string[]> Contexts(StructureDefinition extension) =>
        extension.Context.Select(c => (c.Expression ?? "").Split('.')).ToList();
}
