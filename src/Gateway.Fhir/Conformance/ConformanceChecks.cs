using Gateway.Fhir.Search.Index;
using Hl7.Fhir.ElementModel;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Conformance;

/// <summary>
/// Checks of the guide as a whole, each problem naming its file: only conformance types, files
/// named <c>{type}-{id}.json</c>, canonical URLs on the one base and unique, every reference
/// between them resolving, one profile per supported resource type, and extension definitions
/// (complex-type constraints on Extension) that fix their own url.
/// </summary>
public static class ConformanceChecks
{
    private const string CorePrefix = "http://hl7.org/fhir/StructureDefinition/";

    public static IReadOnlyList<string> Check(IReadOnlyList<ConformanceFile> files)
    {
        var problems = new List<string>();
        var urls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, resource) in files)
        {
            var type = resource.TypeName;
            if (!GatewayGuide.ConformanceTypes.Contains(type))
            {
                problems.Add($"{name}: a {type} is not a conformance resource; profiles/ holds {string.Join(", ", GatewayGuide.ConformanceTypes)}.");
                continue;
            }

            if (name != $"{type}-{resource.Id}.json")
            {
                problems.Add($"{name}: the file of {type} '{resource.Id}' must be named {type}-{resource.Id}.json.");
            }

            var url = ConformanceFile.UrlOf(resource);
            var expected = GatewayGuide.Canonical(type, resource.Id ?? "");
            if (url != expected)
            {
                problems.Add($"{name}: url is '{url}', but the guide's canonical for it is '{expected}'.");
            }
            else if (!urls.Add(url))
            {
                problems.Add($"{name}: url '{url}' is used by another file.");
            }
        }

        foreach (var (name, resource) in files)
        {
            problems.AddRange(UnresolvedReferences(resource, urls).Select(u => $"{name}: '{u}' refers to nothing in profiles/."));
            if (resource is StructureDefinition profile)
            {
                problems.AddRange(ProfileProblems(profile, urls).Select(p => $"{name}: {p}"));
            }

            if (resource is SearchParameter parameter && SearchParameterProblem(parameter) is { } problem)
            {
                problems.Add($"{name}: {problem}");
            }
        }

        problems.AddRange(files.Select(f => f.Resource).OfType<StructureDefinition>().Where(p => p.Type != "Extension").GroupBy(p => p.Type)
            .Where(g => g.Count() > 1)
            .Select(g => $"{string.Join(", ", g.Select(p => $"StructureDefinition-{p.Id}.json"))}: one profile per type, so the gateway knows which applies to a {g.Key} that names none."));
        return problems;
    }

    // Every uri, url and canonical on the guide's base must name a resource of the guide (a fragment, as in a CodeSystem property's uri, is allowed).
    private static IEnumerable<string> UnresolvedReferences(Resource resource, HashSet<string> urls) =>
        Descendants(resource.ToPocoNode())
            .Select(node => (ITypedElement)node)
            .Select(node => node.InstanceType is "uri" or "url" or "canonical" ? node.Value as string : null)
            .OfType<string>()
            .Where(value => value.StartsWith(GatewayGuide.CanonicalBase + "/", StringComparison.Ordinal)
                && !urls.Contains(GatewayGuide.WithoutVersion(value)))
            .Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> ProfileProblems(StructureDefinition profile, HashSet<string> urls)
    {
        if (profile.Type == "Extension")
        {
            foreach (var problem in ExtensionProblems(profile))
            {
                yield return problem;
            }

            yield break;
        }

        if (profile.Kind != StructureDefinition.StructureDefinitionKind.Resource || profile.Derivation != StructureDefinition.TypeDerivationRule.Constraint)
        {
            yield return "only resource profiles (kind resource, derivation constraint) are supported.";
        }

        if (!SupportedResources.IsSupported(profile.Type ?? ""))
        {
            yield return $"type '{profile.Type}' is not a resource type this server serves.";
        }

        if (profile.BaseDefinition != CorePrefix + profile.Type)
        {
            yield return $"baseDefinition must be the R4 base {CorePrefix}{profile.Type}: the validator walks differentials on the base only.";
        }

        if (profile.Differential?.Element is not { Count: > 0 } elements)
        {
            yield return "the differential is empty.";
            yield break;
        }

        foreach (var element in elements)
        {
            if (element.Path is null || element.ElementId is null || !element.Path.StartsWith(profile.Type + ".", StringComparison.Ordinal) && element.Path != profile.Type)
            {
                yield return $"element '{element.ElementId}' needs an id and a path under {profile.Type}.";
            }

            // Required bindings are enforced, which needs the codes: only the guide's own value sets can be expanded here.
            if (element.Binding is { Strength: BindingStrength.Required, ValueSet: { } valueSet } && !urls.Contains(GatewayGuide.WithoutVersion(valueSet)))
            {
                yield return $"element '{element.ElementId}' has a required binding to '{valueSet}', which is not in profiles/.";
            }
        }
    }

    // An extension definition: a constraint on the R4 Extension, saying where it is used, fixing Extension.url to its own url (what a slice of it is told apart by).
    private static IEnumerable<string> ExtensionProblems(StructureDefinition extension)
    {
        if (extension.Kind != StructureDefinition.StructureDefinitionKind.ComplexType || extension.Derivation != StructureDefinition.TypeDerivationRule.Constraint
            || extension.BaseDefinition != CorePrefix + "Extension")
        {
            yield return $"an extension definition is kind complex-type, derivation constraint, baseDefinition {CorePrefix}Extension.";
        }

        if (extension.Context.Count == 0)
        {
            yield return "an extension definition says where it is used (context).";
        }

        var url = extension.Differential?.Element.FirstOrDefault(e => e.ElementId == "Extension.url")?.Fixed as FhirUri;
        if (url?.Value != extension.Url)
        {
            yield return $"element 'Extension.url' must have fixedUri '{extension.Url}'.";
        }
    }

    // The guide publishes what search does: a SearchParameter must be one the index really has, with the same expression.
    private static string? SearchParameterProblem(SearchParameter parameter)
    {
        var type = parameter.Base.FirstOrDefault()?.ToString();
        var registered = type is null || parameter.Base.Count() != 1 ? null : SearchParameterRegistry.Find(type, parameter.Code ?? "");
        return registered is null || registered.Url != parameter.Url || registered.Expression != parameter.Expression
            ? $"search parameter '{parameter.Code}' on {string.Join(", ", parameter.Base)} is not one the gateway indexes as {parameter.Expression} under {parameter.Url} (see GatewaySearchParameters)."
            : null;
    }

    private static IEnumerable<PocoNode> Descendants(PocoNode node)
    {
        foreach (var children in node.Children())
        {
            foreach (var child in children)
            {
                yield return child;
                foreach (var descendant in Descendants(child))
                {
                    yield return descendant;
                }
            }
        }
    }
}
