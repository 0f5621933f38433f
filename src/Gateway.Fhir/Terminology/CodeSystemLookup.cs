using Hl7.Fhir.Model;

namespace Gateway.Fhir.Terminology;

/// <summary>CodeSystem $lookup (FHIR R4 codesystem-operation-lookup.html) over the guide's code systems.</summary>
public static class CodeSystemLookup
{
    /// <returns>The lookup answer, or null when the code system has no such code.</returns>
    public static Parameters? Lookup(CodeSystem codeSystem, string code)
    {
        ArgumentNullException.ThrowIfNull(codeSystem);
        var path = Find(codeSystem.Concept, code, []);
        if (path is null)
        {
            return null;
        }

        var concept = path[^1];
        var parameters = new Parameters();
        parameters.Add("name", new FhirString(codeSystem.Title ?? codeSystem.Name));
        if (codeSystem.Version is { } version)
        {
            parameters.Add("version", new FhirString(version));
        }

        parameters.Add("display", new FhirString(concept.Display ?? concept.Code));
        if (concept.Definition is { } definition)
        {
            parameters.Add("property", [Tuple.Create("code", (Base)new Code("definition")), Tuple.Create("value", (Base)new FhirString(definition))]);
        }

        foreach (var designation in concept.Designation)
        {
            parameters.Add("designation", [Tuple.Create("language", (Base)new Code(designation.Language)), Tuple.Create("value", (Base)new FhirString(designation.Value))]);
        }

        foreach (var property in concept.Property)
        {
            parameters.Add("property", [Tuple.Create("code", (Base)new Code(property.Code)), Tuple.Create("value", (Base)property.Value)]);
        }

        if (path.Count > 1)
        {
            parameters.Add("property", [Tuple.Create("code", (Base)new Code("parent")), Tuple.Create("value", (Base)new Code(path[^2].Code))]);
        }

        foreach (var child in concept.Concept)
        {
            parameters.Add("property", [Tuple.Create("code", (Base)new Code("child")), Tuple.Create("value", (Base)new Code(child.Code))]);
        }

        return parameters;
    }

    private static List<CodeSystem.ConceptDefinitionComponent>? Find(List<CodeSystem.ConceptDefinitionComponent> concepts, string code, List<CodeSystem.ConceptDefinitionComponent> ancestors)
    {
        foreach (var concept in concepts)
        {
            List<CodeSystem.ConceptDefinitionComponent> path = [.. ancestors, concept];
            if (concept.Code == code)
            {
                return path;
            }

            if (Find(concept.Concept, code, path) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
