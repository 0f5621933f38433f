namespace Gateway.Fhir.Search.Index;

/// <param name="Expression">
/// The FHIRPath expression, reduced to the branches that apply to <paramref name="ResourceType"/>
/// (the SDK shares one expression such as "AllergyIntolerance.code | Condition.code | ..." between many resource types).
/// </param>
/// <param name="TargetTypes">For reference parameters, the resource types the reference may point to.</param>
/// <param name="Url">The SearchParameter's canonical URL: R4's, or the gateway's guide's.</param>
public sealed record SearchParameterDefinition(
    string Name,
    string ResourceType,
    SearchParamKind Type,
    string Expression,
    IReadOnlyList<string> TargetTypes,
    string Url);
