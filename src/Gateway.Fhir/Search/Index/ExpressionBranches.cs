using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>Splits a search parameter's FHIRPath expression into its top-level union ("|") branches.</summary>
internal static class ExpressionBranches
{
    public static IReadOnlyList<string> For(string expression, string resourceType) =>
        Split(expression).Where(branch => AppliesTo(branch, resourceType)).ToList();

    // A branch starts with the type it applies to ("Patient.name", "(Observation.value as Quantity)");
    // "Resource"/"DomainResource" and non-type starts apply to every resource.
    private static bool AppliesTo(string branch, string resourceType)
    {
        var start = branch.TrimStart('(', ' ');
        var length = 0;
        while (length < start.Length && char.IsAsciiLetterOrDigit(start[length]))
        {
            length++;
        }

        var root = start[..length];
        return root == resourceType
            || root is "Resource" or "DomainResource"
            || !ModelInfo.IsKnownResource(root);
    }

    private static IEnumerable<string> Split(string expression)
    {
        var depth = 0;
        var inString = false;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            switch (expression[i])
            {
                case '\\' when inString:
                    i++;
                    break;
                case '\'':
                    inString = !inString;
                    break;
                case '(' or '[' when !inString:
                    depth++;
                    break;
                case ')' or ']' when !inString:
                    depth--;
                    break;
                case '|' when !inString && depth == 0:
                    yield return expression[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        yield return expression[start..].Trim();
    }
}
