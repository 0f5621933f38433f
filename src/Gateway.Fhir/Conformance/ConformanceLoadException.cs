namespace Gateway.Fhir.Conformance;

/// <summary>profiles/ is broken: the gateway refuses to start, naming each file and what is wrong with it.</summary>
public sealed class ConformanceLoadException(string folder, IReadOnlyList<string> problems)
    : Exception($"The implementation guide in {folder} cannot be loaded:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
