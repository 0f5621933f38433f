using System.Globalization;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// Turns a profile's differential into a tree of <see cref="ElementRule"/>s. Without Firely's
/// validator packages or the R4 base definitions there is no snapshot, so the differential is read
/// on its own: elements it does not mention keep their base rules, which the strict parser and the
/// SDK's POCO validation already enforce (docs/adr/0004).
/// </summary>
internal static class ProfileCompiler
{
    private const string CorePrefix = "http://hl7.org/fhir/StructureDefinition/";

    // The same symbol table as Firely's own Base.Select: standard FHIRPath plus resolve(), hasValue() etc.
    private static readonly FhirPathCompiler Compiler = new(new SymbolTable().AddStandardFP().AddFhirExtensions());

    /// <param name="typeOfProfile">The resource type a profile URL of the guide constrains, null when unknown.</param>
    public static CompiledProfile Compile(StructureDefinition profile, Func<string, string?> typeOfProfile, List<string> problems)
    {
        var type = profile.Type!;
        var root = new ElementRule { Id = type };
        var rules = new Dictionary<string, ElementRule>(StringComparer.Ordinal) { [type] = root };
        foreach (var element in profile.Differential?.Element ?? [])
        {
            if (RuleFor(element.ElementId ?? "", rules, problems) is { } rule)
            {
                Apply(element, rule, typeOfProfile, problems);
            }
        }

        foreach (var sliced in rules.Values.Where(r => r.Slices.Count > 0))
        {
            ResolveDiscriminators(sliced, problems);
        }

        return new CompiledProfile(profile.Url!, type, root);
    }

    // Element ids name their ancestors ("Patient.identifier:nhsNumber.system"), so the tree follows from them alone.
    private static ElementRule? RuleFor(string id, Dictionary<string, ElementRule> rules, List<string> problems)
    {
        if (rules.TryGetValue(id, out var known))
        {
            return known;
        }

        var dot = id.LastIndexOf('.');
        if (dot < 0)
        {
            problems.Add($"element '{id}' is not under the profile's type.");
            return null;
        }

        var parent = RuleFor(id[..dot], rules, problems);
        if (parent is null)
        {
            return null;
        }

        var segment = id[(dot + 1)..];
        var colon = segment.IndexOf(':', StringComparison.Ordinal);
        var name = ElementName(colon < 0 ? segment : segment[..colon]);
        ElementRule rule;
        if (colon < 0)
        {
            rule = new ElementRule { Id = id, Name = name };
            parent.Children.Add(rule);
        }
        else
        {
            var sliced = RuleFor(id[..dot] + "." + segment[..colon], rules, problems)!;
            rule = new ElementRule { Id = id, Name = name, SliceName = segment[(colon + 1)..] };
            sliced.Slices.Add(rule);
        }

        rules[id] = rule;
        return rule;
    }

    // A choice element is one child in the POCO model and in FHIRPath: value[x] is "value".
    private static string ElementName(string segment) => segment.EndsWith("[x]", StringComparison.Ordinal) ? segment[..^3] : segment;

    private static void Apply(ElementDefinition element, ElementRule rule, Func<string, string?> typeOfProfile, List<string> problems)
    {
        rule.Min = element.Min;
        rule.Max = element.Max is null or "*" ? null : int.Parse(element.Max, CultureInfo.InvariantCulture);
        rule.Fixed = element.Fixed?.ToPocoNode();
        rule.Pattern = element.Pattern?.ToPocoNode();
        rule.Slicing = element.Slicing;
        if (element.Binding is { Strength: BindingStrength.Required or BindingStrength.Extensible, ValueSet: { } valueSet })
        {
            rule.Binding = (element.Binding.Strength.Value, valueSet);
        }

        if (element.Type.Count > 0)
        {
            rule.Types = element.Type
                .Select(t => (t.Code ?? "", (IReadOnlySet<string>)t.TargetProfile.OfType<string>()
                    .Select(target => TargetType(target, typeOfProfile, rule.Id, problems)).OfType<string>().ToHashSet(StringComparer.Ordinal)))
                .ToList();
            rule.ExtensionProfile = element.Type.FirstOrDefault(t => t.Code == "Extension")?.Profile.FirstOrDefault();
        }

        foreach (var constraint in element.Constraint)
        {
            try
            {
                var severity = constraint.Severity == ConstraintSeverity.Warning ? OperationOutcome.IssueSeverity.Warning : OperationOutcome.IssueSeverity.Error;
                var expression = constraint.Expression ?? "true";
                rule.Constraints.Add(new CompiledConstraint(constraint.Key ?? "", severity, constraint.Human ?? "", expression, Compiler.Compile(expression), NativeInvariants.For(expression)));
            }
            catch (FormatException ex)
            {
                problems.Add($"invariant {constraint.Key} of '{element.ElementId}' is not valid FHIRPath: {ex.Message}");
            }
        }
    }

    private static string? TargetType(string targetProfile, Func<string, string?> typeOfProfile, string elementId, List<string> problems)
    {
        var type = targetProfile.StartsWith(CorePrefix, StringComparison.Ordinal) ? targetProfile[CorePrefix.Length..] : typeOfProfile(targetProfile);
        if (type is null || !ModelInfo.IsKnownResource(type))
        {
            problems.Add($"targetProfile '{targetProfile}' of '{elementId}' names no resource type.");
            return null;
        }

        return type;
    }

    // An extension slice named by its definition (type Extension, profile) is told apart by that definition's url, as FHIR R4 profiling.html#slicing says.
    private static PocoNode? ExtensionUrl(ElementRule slice, string? path) =>
        path == "url" && slice.ExtensionProfile is { } url ? new FhirUri(url).ToPocoNode() : null;

    // Only value and pattern discriminators (the ones the guide uses): the slice's fixed or pattern value at the path.
    private static void ResolveDiscriminators(ElementRule sliced, List<string> problems)
    {
        var discriminators = sliced.Slicing?.Discriminator ?? [];
        if (discriminators.Count == 0)
        {
            problems.Add($"'{sliced.Id}' has slices but no slicing discriminator.");
            return;
        }

        foreach (var slice in sliced.Slices)
        {
            foreach (var discriminator in discriminators)
            {
                var source = discriminator.Path == "$this" ? slice : slice.Children.FirstOrDefault(c => c.Name == discriminator.Path);
                var value = source?.Fixed ?? source?.Pattern ?? ExtensionUrl(slice, discriminator.Path);
                if (discriminator.Type is not (ElementDefinition.DiscriminatorType.Value or ElementDefinition.DiscriminatorType.Pattern) || value is null)
                {
                    problems.Add($"slice '{slice.Id}' needs a fixed or pattern value at '{discriminator.Path}' (only value and pattern discriminators are supported).");
                    continue;
                }

                slice.Discriminators.Add((discriminator.Path ?? "$this", value));
            }
        }
    }
}
