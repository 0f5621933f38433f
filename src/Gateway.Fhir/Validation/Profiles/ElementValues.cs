using Hl7.Fhir.ElementModel;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// Fixed and pattern values (FHIR R4 elementdefinition-definitions.html#ElementDefinition.fixed_x_,
/// #ElementDefinition.pattern_x_): fixed means exactly equal; a pattern only says what must be
/// there, and each repetition in the pattern must be matched by some repetition in the instance.
/// </summary>
internal static class ElementValues
{
    public static bool Matches(PocoNode instance, PocoNode pattern, bool exact)
    {
        if (((ITypedElement)pattern).Value is { } expected)
        {
            return ((ITypedElement)instance).Value is { } actual && SameValue(actual, expected);
        }

        var patternChildren = pattern.Children().ToDictionary(c => c.Name, c => c.ToList(), StringComparer.Ordinal);
        foreach (var (name, expectedItems) in patternChildren)
        {
            var actualItems = Items(instance, name);
            var matched = exact
                ? actualItems.Count == expectedItems.Count && expectedItems.Select((e, i) => Matches(actualItems[i], e, exact: true)).All(m => m)
                : expectedItems.All(e => actualItems.Any(a => Matches(a, e, exact: false)));
            if (!matched)
            {
                return false;
            }
        }

        return !exact || instance.Children().All(c => patternChildren.ContainsKey(c.Name));
    }

    public static List<PocoNode> Items(PocoNode parent, string name) => parent.Child(name) is { } children ? children.ToList() : [];

    // Primitive values of one FHIR type come back as the same .NET type; dates and decimals compare by their FHIR text.
    private static bool SameValue(object actual, object expected) =>
        actual.Equals(expected) || string.Equals(actual.ToString(), expected.ToString(), StringComparison.Ordinal);
}
