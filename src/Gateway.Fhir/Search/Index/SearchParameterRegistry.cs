using System.Collections.Frozen;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace Gateway.Fhir.Search.Index;

/// <summary>
/// The R4 search parameters of the SDK's <see cref="ModelInfo.SearchParameters"/> that this gateway
/// indexes, and the gateway's own (<see cref="GatewaySearchParameters"/>).
/// </summary>
public static class SearchParameterRegistry
{
    private static readonly FrozenDictionary<string, RegisteredSearchParameter[]> ByResourceType = Build();

    private static readonly FrozenDictionary<string, IReadOnlyList<SearchParameterDefinition>> DefinitionsByResourceType =
        ByResourceType.ToFrozenDictionary(
            entry => entry.Key,
            entry => (IReadOnlyList<SearchParameterDefinition>)Array.AsReadOnly(entry.Value.Select(parameter => parameter.Definition).ToArray()));

    public static IReadOnlyList<SearchParameterDefinition> For(string resourceType) =>
        DefinitionsByResourceType.GetValueOrDefault(resourceType, []);

    public static SearchParameterDefinition? Find(string resourceType, string name) =>
        Registered(resourceType).FirstOrDefault(parameter => parameter.Definition.Name == name)?.Definition;

    internal static IReadOnlyList<RegisteredSearchParameter> Registered(string resourceType) =>
        ByResourceType.GetValueOrDefault(resourceType, []);

    private static FrozenDictionary<string, RegisteredSearchParameter[]> Build() =>
        ModelInfo.SearchParameters
            .Concat(GatewaySearchParameters.All)
            .Select(Register)
            .OfType<RegisteredSearchParameter>()
            .GroupBy(parameter => parameter.Definition.ResourceType)
            .ToFrozenDictionary(group => group.Key, group => group.ToArray());

    private static RegisteredSearchParameter? Register(SearchParamDefinition parameter)
    {
        if (parameter is not { Expression: { } expression, Resource: { } resourceType, Name: { } name }
            || name is "_id" or "_lastUpdated"
            || KindOf(parameter.Type, name) is not { } kind)
        {
            return null;
        }

        var branches = ExpressionBranches.For(expression, resourceType);
        if (branches.Count == 0)
        {
            return null;
        }

        var targets = (parameter.Target ?? []).Select(target => target.GetLiteral()).ToList();
        var definition = new SearchParameterDefinition(
            name, resourceType, kind, string.Join(" | ", branches), targets, parameter.Url ?? $"http://hl7.org/fhir/SearchParameter/{resourceType}-{name}");
        return new RegisteredSearchParameter(definition, branches);
    }

    private static SearchParamKind? KindOf(SearchParamType type, string name) => type switch
    {
        // R4's only special parameter with an expression we can index: Location's near (Location.position).
        SearchParamType.Special when name == "near" => SearchParamKind.Position,
        SearchParamType.Token => SearchParamKind.Token,
        SearchParamType.String => SearchParamKind.String,
        SearchParamType.Date => SearchParamKind.Date,
        SearchParamType.Reference => SearchParamKind.Reference,
        SearchParamType.Uri => SearchParamKind.Uri,
        _ => null,
    };
}
