using Gateway.Fhir.Conformance;
using Gateway.Fhir.Terminology;
using Hl7.Fhir.Model;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// Checks the guide's extensions that no resource profile places where their definitions say they are used (a MeasureReport's, which has no profile): at each context
/// element of a resource, every extension with the definition's url against the definition's
/// differential (value type, reference target, invariants) and its maximum count there. Only the
/// context paths are visited, so a write pays nothing for extensions it does not carry; an extension
/// of the guide used outside its context is not looked for (as HAPI does only with a snapshot).
/// </summary>
internal sealed class ExtensionChecks
{
    private readonly List<(CompiledProfile Definition, IReadOnlyList<string[]> Contexts)> _definitions = [];

    public ExtensionChecks(ConformanceResources resources, List<string> problems)
    {
        // An extension a resource profile places (an element's type profile, as directory-healthcareservice
        // places service-capacity) is checked by the walk of that profile; these are the ones no profile places.
        var placed = resources.Profiles.Where(p => !ExtensionDefinitions.IsExtension(p))
            .SelectMany(p => p.Differential?.Element ?? []).SelectMany(e => e.Type).SelectMany(t => t.Profile).ToHashSet(StringComparer.Ordinal);
        foreach (var extension in resources.Extensions.Where(e => !placed.Contains(e.Url!)))
        {
            var own = new List<string>();
            var compiled = ProfileCompiler.Compile(extension, url => resources.Find<StructureDefinition>(url)?.Type, own);
            problems.AddRange(own.Select(p => $"{resources.FileOf(extension.Url!)}: {p}"));
            _definitions.Add((compiled, ExtensionDefinitions.Contexts(extension)));
        }
    }

    /// <param name="applied">Gets the url of each definition an extension was checked against (what $validate says it validated against).</param>
    public void Check(PocoNode resourceNode, PocoNode root, ValueSetExpansions expansions, ReferenceTargets references, List<OperationOutcome.IssueComponent> issues, List<string> applied)
    {
        var type = ((Resource)resourceNode.Poco).TypeName;
        foreach (var (definition, contexts) in _definitions)
        {
            foreach (var context in contexts.Where(c => c[0] == type))
            {
                var elements = new List<PocoNode> { resourceNode };
                foreach (var step in context.Skip(1))
                {
                    elements = elements.SelectMany(e => ElementValues.Items(e, step)).ToList();
                }

                foreach (var element in elements)
                {
                    if (Check(definition, element, resourceNode, root, expansions, references, issues))
                    {
                        applied.Add(definition.Url);
                    }
                }
            }
        }
    }

    private static bool Check(CompiledProfile definition, PocoNode element, PocoNode resourceNode, PocoNode root, ValueSetExpansions expansions, ReferenceTargets references, List<OperationOutcome.IssueComponent> issues)
    {
        var extensions = ElementValues.Items(element, "extension").Where(e => e.Poco is Extension { Url: var url } && url == definition.Url).ToList();
        if (definition.Root.Max is { } max && extensions.Count > max)
        {
            var location = ((Hl7.Fhir.ElementModel.IShortPathGenerator)element).ShortPath + ".extension";
            issues.Add(ProfileIssues.Error(IssueType.Structure, "cardinality", location,
                $"{location} has {extensions.Count} extensions '{definition.Url}', but at most {max} is allowed there ({definition.Url})."));
        }

        foreach (var extension in extensions)
        {
            ProfileWalker.WalkElement(definition, extension, resourceNode, root, expansions, references, issues);
        }

        return extensions.Count > 0;
    }
}
