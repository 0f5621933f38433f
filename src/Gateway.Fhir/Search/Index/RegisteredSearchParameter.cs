namespace Gateway.Fhir.Search.Index;

/// <summary>A search parameter with its expression branches, compiled once on first use.</summary>
internal sealed class RegisteredSearchParameter(SearchParameterDefinition definition, IReadOnlyList<string> branches)
{
    private readonly Lazy<IReadOnlyList<SearchPath>> _paths =
        new(() => branches.Select(branch => SearchPathCompiler.Compile(branch, definition.ResourceType)).ToList(), LazyThreadSafetyMode.ExecutionAndPublication);

    public SearchParameterDefinition Definition { get; } = definition;

    public IReadOnlyList<SearchPath> Paths => _paths.Value;
}
