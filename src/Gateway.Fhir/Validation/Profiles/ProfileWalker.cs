using Gateway.Fhir.Terminology;
using Hl7.Fhir.ElementModel;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// Walks one resource against one compiled profile, rule by rule, and collects every issue with the
/// FHIRPath location of the element (<c>Patient.identifier[1].value</c>), never stopping at the first.
/// </summary>
internal sealed class ProfileWalker
{
    private readonly CompiledProfile _profile;
    private readonly ValueSetExpansions _expansions;
    private readonly ReferenceTargets _references;
    private readonly Resource _resource;
    private readonly FhirEvaluationContext _context;
    private readonly List<OperationOutcome.IssueComponent> _issues;
    private readonly Func<string, CompiledProfile?> _extensions;

    private ProfileWalker(CompiledProfile profile, ValueSetExpansions expansions, ReferenceTargets references, Resource resource, FhirEvaluationContext context,
        List<OperationOutcome.IssueComponent> issues, Func<string, CompiledProfile?> extensions)
    {
        _extensions = extensions;
        _profile = profile;
        _expansions = expansions;
        _references = references;
        _resource = resource;
        _context = context;
        _issues = issues;
    }

    /// <param name="node">The resource's node; inside a Bundle it is the entry's resource node, so locations start at Bundle.entry[i].resource.</param>
    /// <param name="extensions">The guide's extension definitions by url, which an extension element's type may name.</param>
    public static void Walk(CompiledProfile profile, PocoNode node, PocoNode root, ValueSetExpansions expansions, ReferenceTargets references,
        List<OperationOutcome.IssueComponent> issues, Func<string, CompiledProfile?> extensions)
    {
        var context = new FhirEvaluationContext { Resource = node, RootResource = root };
        new ProfileWalker(profile, expansions, references, (Resource)node.Poco, context, issues, extensions).CheckInstance(profile.Root, node);
    }

    /// <summary>Walks an element of a resource (an extension against its definition); <paramref name="resourceNode"/> is the resource it is in.</summary>
    public static void WalkElement(CompiledProfile profile, PocoNode element, PocoNode resourceNode, PocoNode root, ValueSetExpansions expansions, ReferenceTargets references, List<OperationOutcome.IssueComponent> issues)
    {
        var context = new FhirEvaluationContext { Resource = resourceNode, RootResource = root };
        new ProfileWalker(profile, expansions, references, (Resource)resourceNode.Poco, context, issues, _ => null).CheckInstance(profile.Root, element);
    }

    // An element's location (its FHIRPath, built from its parents) is only spelled out for an issue:
    // a valid resource, the usual case, never needs one (issue 18, eleventh pass).
    private void CheckInstance(ElementRule rule, PocoNode instance)
    {
        if (rule.Fixed is { } fixedValue && !ElementValues.Matches(instance, fixedValue, exact: true))
        {
            Error(IssueType.Value, "fixed-value", Location(instance), $"must be exactly {Show(fixedValue)}");
        }

        if (rule.Pattern is { } pattern && !ElementValues.Matches(instance, pattern, exact: false))
        {
            Error(IssueType.Value, "pattern", Location(instance), $"must match the pattern {Show(pattern)}");
        }

        if (rule.Types is { } types)
        {
            CheckType(types, instance);
        }

        if (rule.Binding is { } binding && CodedValues.Check(instance, binding.Strength, binding.ValueSet, _expansions) is { } problem)
        {
            var severity = binding.Strength == BindingStrength.Required ? OperationOutcome.IssueSeverity.Error : OperationOutcome.IssueSeverity.Warning;
            var location = Location(instance);
            _issues.Add(ProfileIssues.Create(severity, IssueType.CodeInvalid, "binding", location, $"{location} {problem} ({binding.Strength} binding of {Name})."));
        }

        foreach (var constraint in rule.Constraints)
        {
            if (!Holds(constraint, instance))
            {
                _issues.Add(ProfileIssues.Create(constraint.Severity, IssueType.Invariant, constraint.Key, Location(instance),
                    $"{constraint.Key}: {constraint.Human} ({Name})"));
            }
        }

        foreach (var child in rule.Children)
        {
            CheckChildren(child, instance);
        }

        // The extension's own definition, its issues named after it.
        if (rule.ExtensionProfile is { } url && _extensions(url) is { } definition)
        {
            new ProfileWalker(definition, _expansions, _references, _resource, _context, _issues, _extensions).CheckInstance(definition.Root, instance);
        }
    }

    private void CheckChildren(ElementRule rule, PocoNode parent)
    {
        var instances = ElementValues.Items(parent, rule.Name!);
        CheckCount(rule, instances.Count, parent, rule.Name!, "");
        foreach (var instance in instances)
        {
            CheckInstance(rule, instance);
        }

        foreach (var slice in rule.Slices)
        {
            var members = instances.Where(i => slice.Discriminators.All(d => InSlice(i, d.Path, d.Value))).ToList();
            CheckCount(slice, members.Count, parent, rule.Name!, $" of slice '{slice.SliceName}'");
            foreach (var member in members)
            {
                CheckInstance(slice, member);
            }
        }
    }

    private static bool InSlice(PocoNode instance, string path, PocoNode value) => path == "$this"
        ? ElementValues.Matches(instance, value, exact: false)
        : ElementValues.Items(instance, path).Any(item => ElementValues.Matches(item, value, exact: false));

    // The count of parent's elements called name, located at parent.name.
    private void CheckCount(ElementRule rule, int count, PocoNode parent, string name, string slice)
    {
        if (rule.Min is { } min && count < min)
        {
            Error(IssueType.Required, "cardinality", Location(parent) + "." + name, $"needs at least {min}{slice}, found {count}");
        }

        if (rule.Max is { } max && count > max)
        {
            Error(IssueType.Structure, "cardinality", Location(parent) + "." + name, $"allows at most {max}{slice}, found {count}");
        }
    }

    // Allocates nothing for an element that passes: the targets of the allowed types are only
    // gathered into one set to name them in an issue (issue 18: the set a typed element was 2 % of a row's CPU).
    private void CheckType(IReadOnlyList<(string Code, IReadOnlySet<string> Targets)> types, PocoNode instance)
    {
        var instanceType = ((ITypedElement)instance).InstanceType;
        var allowed = false;
        var restricted = false;
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].Code == instanceType)
            {
                allowed = true;
                restricted |= types[i].Targets.Count > 0;
            }
        }

        if (!allowed)
        {
            Error(IssueType.Structure, "type", Location(instance), $"is a {instanceType}, but only {string.Join(" or ", types.Select(t => t.Code))} is allowed");
            return;
        }

        if (restricted && instance.Poco is ResourceReference reference && _references.TypeOf(reference, _resource) is { } target && !Allows(types, instanceType, target))
        {
            var targets = types.Where(t => t.Code == instanceType).SelectMany(t => t.Targets).ToHashSet(StringComparer.Ordinal);
            Error(IssueType.Structure, "reference-target", Location(instance), $"refers to a {target} ('{reference.Reference}'), but must refer to a {string.Join(" or ", targets.Order(StringComparer.Ordinal))}");
        }
    }

    private static bool Allows(IReadOnlyList<(string Code, IReadOnlySet<string> Targets)> types, string? instanceType, string target)
    {
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].Code == instanceType && types[i].Targets.Contains(target))
            {
                return true;
            }
        }

        return false;
    }

    // FHIR R4 conformance-rules.html#constraints: an invariant holds unless it evaluates to false; Firely's Predicate treats empty as true.
    private bool Holds(CompiledConstraint constraint, PocoNode instance)
    {
        if (constraint.Native?.Invoke(instance.Poco) is { } known)
        {
            return known;
        }

        try
        {
            return constraint.Compiled.Predicate(instance, _context);
        }
        catch (InvalidOperationException)
        {
            // A runtime type error in the expression (e.g. a collection where a singleton was expected) counts as a failure.
            return false;
        }
    }

    private void Error(IssueType code, string rule, string location, string problem) =>
        _issues.Add(ProfileIssues.Error(code, rule, location, $"{location} {problem} ({Name})."));

    private string Name => _profile.Url;

    private static string Location(PocoNode node) => ((IShortPathGenerator)node).ShortPath;

    private static string Show(PocoNode value) => value.Poco switch
    {
        CodeableConcept concept => string.Join(", ", concept.Coding.Select(c => $"{c.System}|{c.Code}")),
        Coding coding => $"{coding.System}|{coding.Code}",
        _ => ((ITypedElement)value).Value?.ToString() ?? value.Poco.TypeName,
    };
}
