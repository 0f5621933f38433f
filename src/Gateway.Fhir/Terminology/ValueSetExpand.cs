using Hl7.Fhir.Model;

namespace Gateway.Fhir.Terminology;

/// <summary>
/// ValueSet $expand (FHIR R4 valueset-operation-expand.html) from the expansion made at start:
/// an optional <c>filter</c> on code and display (case-insensitive, as servers commonly do), and
/// <c>offset</c>/<c>count</c> paging.
/// </summary>
public static class ValueSetExpand
{
    public static ValueSet Expand(ValueSet expanded, string? filter, int offset, int? count, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(expanded);
        var result = (ValueSet)expanded.DeepCopy();
        result.Expansion ??= new ValueSet.ExpansionComponent();
        var contains = Flatten(result.Expansion.Contains)
            .Where(c => filter is null || Matches(c, filter))
            .ToList();
        result.Expansion.Timestamp = timestamp.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        result.Expansion.Total = contains.Count;
        result.Expansion.Offset = offset > 0 || count is not null ? offset : null;
        result.Expansion.Contains = contains.Skip(offset).Take(count ?? int.MaxValue).ToList();
        if (filter is not null)
        {
            result.Expansion.Parameter.Add(new ValueSet.ParameterComponent { Name = "filter", Value = new FhirString(filter) });
        }

        return result;
    }

    private static bool Matches(ValueSet.ContainsComponent concept, string filter) =>
        (concept.Code ?? "").Contains(filter, StringComparison.OrdinalIgnoreCase) || (concept.Display ?? "").Contains(filter, StringComparison.OrdinalIgnoreCase);

    // Flat, each concept once, as most clients expect; the guide's code systems have no hierarchy anyway.
    private static IEnumerable<ValueSet.ContainsComponent> Flatten(IEnumerable<ValueSet.ContainsComponent> contains) =>
        contains.SelectMany(c => new[] { c }.Concat(Flatten(c.Contains)).Select(x =>
        {
            x.Contains = [];
            return x;
        }));
}
