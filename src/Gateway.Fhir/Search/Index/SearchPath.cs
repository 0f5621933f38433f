using Hl7.FhirPath;

namespace Gateway.Fhir.Search.Index;

/// <summary>One compiled branch of a search parameter's expression.</summary>
/// <param name="RequiredTargetType">
/// Set when the branch ended in <c>.where(resolve() is T)</c>: only references to a T are kept.
/// </param>
/// <param name="Members">
/// Set when the branch is a plain chain of element names from the resource (<c>Patient.name.given</c>
/// is <c>["name", "given"]</c>): <see cref="MemberPath"/> walks it on the POCO without the FHIRPath
/// engine, with the same result.
/// </param>
/// <param name="Guard">
/// Set when a branch that needs FHIRPath filters a plain chain of element names
/// (<c>Patient.telecom.where(system='email')</c>): where the chain reaches nothing the branch
/// yields nothing, so the FHIRPath evaluation is skipped.
/// </param>
internal sealed record SearchPath(CompiledExpression Select, string? RequiredTargetType, IReadOnlyList<string>? Members, IReadOnlyList<string>? Guard = null);
