using Hl7.FhirPath;

namespace Gateway.Fhir.Search.Index;

/// <summary>One compiled branch of a search parameter's expression.</summary>
/// <param name="RequiredTargetType">
/// Set when the branch ended in <c>.where(resolve() is T)</c>: only references to a T are kept.
/// </param>
internal sealed record SearchPath(CompiledExpression Select, string? RequiredTargetType);
