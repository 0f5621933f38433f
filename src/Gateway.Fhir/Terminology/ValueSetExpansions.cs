using Gateway.Fhir.Conformance;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace Gateway.Fhir.Terminology;

/// <summary>
/// The guide's value sets, expanded once at start with the SDK's <see cref="ValueSetExpander"/>
/// over the guide's own code systems, for $expand and for checking required bindings.
/// </summary>
public sealed class ValueSetExpansions
{
    private readonly Dictionary<string, Expansion> _byUrl;

    private ValueSetExpansions(Dictionary<string, Expansion> byUrl) => _byUrl = byUrl;

    public static ValueSetExpansions Expand(IReadOnlyList<ConformanceFile> files, out List<string> problems)
    {
        problems = [];
        var resolver = new InMemoryResourceResolver(files.Select(f => f.Resource));
        var expander = new ValueSetExpander(new ValueSetExpanderSettings { ValueSetSource = resolver, MaxExpansionSize = 10_000 });
        var byUrl = new Dictionary<string, Expansion>(StringComparer.Ordinal);
        foreach (var (name, resource) in files)
        {
            if (resource is not ValueSet valueSet)
            {
                continue;
            }

            var expanded = (ValueSet)valueSet.DeepCopy();
            try
            {
                // In-memory sources only: nothing here waits on I/O, so blocking at start is harmless.
                expander.ExpandAsync(expanded).GetAwaiter().GetResult();
            }
            // Whatever the expander throws (unknown system, too big, unsupported filter), the start must name the file.
            catch (Exception ex)
            {
                problems.Add($"{name}: the value set cannot be expanded: {ex.Message}");
                continue;
            }

            var concepts = Flatten(expanded.Expansion?.Contains ?? []).Select(c => (System: c.System ?? "", Code: c.Code!)).ToList();
            byUrl[valueSet.Url!] = new Expansion(expanded, concepts.ToHashSet(), concepts.Select(c => c.Code).ToHashSet(StringComparer.Ordinal));
        }

        return new ValueSetExpansions(byUrl);
    }

    public bool Knows(string valueSetUrl) => _byUrl.ContainsKey(GatewayGuide.WithoutVersion(valueSetUrl));

    /// <summary>Whether the code is in the value set; without a system (a <c>code</c> element) any system's code counts.</summary>
    public bool Contains(string valueSetUrl, string? system, string? code)
    {
        if (code is null || !_byUrl.TryGetValue(GatewayGuide.WithoutVersion(valueSetUrl), out var expansion))
        {
            return false;
        }

        return system is null ? expansion.Codes.Contains(code) : expansion.Concepts.Contains((system, code));
    }

    /// <summary>The expanded value set; callers copy it before changing it.</summary>
    public ValueSet? Expanded(string valueSetUrl) =>
        _byUrl.TryGetValue(GatewayGuide.WithoutVersion(valueSetUrl), out var expansion) ? expansion.ValueSet : null;

    public IReadOnlySet<string> SystemsOf(string valueSetUrl) =>
        _byUrl.TryGetValue(GatewayGuide.WithoutVersion(valueSetUrl), out var expansion)
            ? expansion.Concepts.Select(c => c.System).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    private static IEnumerable<ValueSet.ContainsComponent> Flatten(IEnumerable<ValueSet.ContainsComponent> contains) =>
        contains.SelectMany(c => (c.Code is null ? [] : new[] { c }).Concat(Flatten(c.Contains)));

    private sealed record Expansion(ValueSet ValueSet, HashSet<(string System, string Code)> Concepts, HashSet<string> Codes);
}
