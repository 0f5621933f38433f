using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// What a profile's differential says about one element (or one slice of it), compiled once:
/// cardinality, fixed and pattern values, binding, allowed types and reference targets, invariants,
/// and the rules of its children and slices.
/// </summary>
internal sealed class ElementRule
{
    public required string Id { get; init; }

    /// <summary>The element's name in its parent (<c>value</c> for <c>value[x]</c>); null for the resource itself.</summary>
    public string? Name { get; init; }

    public string? SliceName { get; init; }

    public int? Min { get; set; }

    /// <summary>null when the differential does not narrow the maximum, or it is '*'.</summary>
    public int? Max { get; set; }

    public PocoNode? Fixed { get; set; }

    public PocoNode? Pattern { get; set; }

    public (BindingStrength Strength, string ValueSet)? Binding { get; set; }

    /// <summary>Allowed types with, for references, the resource types they may point at (empty: any).</summary>
    public IReadOnlyList<(string Code, IReadOnlySet<string> Targets)>? Types { get; set; }

    /// <summary>For an extension element: the guide's extension definition its content must follow (its type's profile).</summary>
    public string? ExtensionProfile { get; set; }

    public List<CompiledConstraint> Constraints { get; } = [];

    public List<ElementRule> Children { get; } = [];

    public List<ElementRule> Slices { get; } = [];

    /// <summary>For a slice: the values an instance must have at the discriminator paths to belong to it.</summary>
    public List<(string Path, PocoNode Value)> Discriminators { get; } = [];

    public ElementDefinition.SlicingComponent? Slicing { get; set; }
}

/// <param name="Native">The same invariant in C# (<see cref="NativeInvariants"/>), answering null where FHIRPath must decide.</param>
internal sealed record CompiledConstraint(string Key, OperationOutcome.IssueSeverity Severity, string Human, string Expression, CompiledExpression Compiled, Func<Base, bool?>? Native = null);

/// <summary>A profile ready to walk: its canonical, type and the rule of the resource element.</summary>
internal sealed record CompiledProfile(string Url, string Type, ElementRule Root);
