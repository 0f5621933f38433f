using Hl7.Fhir.Model;

namespace Gateway.Fhir.Conformance;

/// <summary>
/// The guide's extension definitions (StructureDefinition of type Extension, FHIR R4
/// extensibility.html#define): simple extensions only, each naming where it may be used (context of
/// type element) and fixing its own url, so the validator can find and check them
/// (Validation/Profiles/ExtensionChecks.cs). They are not resource profiles: no default profile of a type.
/// </summary>
public static class ExtensionDefinitions
{
    private const string Base = "http://hl7.org/fhir/StructureDefinition/Extension";

    public static bool IsExtension(StructureDefinition definition) => definition.Type == "Extension";

    public static IEnumerable<string> Problems(StructureDefinition extension)
    {
        if (extension.Kind != StructureDefinition.StructureDefinitionKind.ComplexType || extension.Derivation != StructureDefinition.TypeDerivationRule.Constraint)
        {
            yield return "an extension definition must have kind complex-type and derivation constraint.";
        }

        if (extension.BaseDefinition != Base)
        {
            yield return $"an extension definition's baseDefinition must be {Base}.";
        }

        if (extension.Context.Count == 0 || extension.Context.Any(c => c.Type != StructureDefinition.ExtensionContextType.Element || string.IsNullOrEmpty(c.Expression)))
        {
            yield return "an extension definition needs a context, each of type element with an element path (e.g. MeasureReport.group.measureScore).";
        }

        var elements = extension.Differential?.Element ?? [];
        var url = elements.FirstOrDefault(e => e.ElementId == "Extension.url");
        if ((url?.Fixed as FhirUri)?.Value != extension.Url)
        {
            yield return $"element 'Extension.url' must have fixedUri '{extension.Url}', the definition's own url.";
        }

        if (elements.FirstOrDefault(e => e.ElementId == "Extension.value[x]") is not { Type.Count: > 0 })
        {
            yield return "element 'Extension.value[x]' must name the value's type(s): only simple extensions are supported.";
        }
    }

    /// <summary>The element paths of the contexts, split into steps (<c>MeasureReport.group.measureScore</c>).</summary>
    public static IReadOnlyList<string[]> Contexts(StructureDefinition extension) =>
        extension.Context.Select(c => (c.Expression ?? "").Split('.')).ToList();
}
