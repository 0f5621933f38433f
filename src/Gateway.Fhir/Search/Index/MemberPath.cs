using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>
/// Selects what a chain of element names reaches from a resource, in document order, as FHIRPath
/// navigation does: each name is the element's child of that name (a choice element by its name
/// without the type, <c>occurrence</c>), and a repeating element yields each of its items. Firely's
/// FHIRPath over a POCO navigates through the same <see cref="Base.TryGetValue"/>, but wraps every
/// step in nodes and closures; this is the part of index extraction that most parameters need.
/// </summary>
internal static class MemberPath
{
    public static void Select(Base focus, IReadOnlyList<string> members, List<Base> into) => Select(focus, members, 0, into);

    private static void Select(Base focus, IReadOnlyList<string> members, int step, List<Base> into)
    {
        if (step == members.Count)
        {
            into.Add(focus);
            return;
        }

        if (!focus.TryGetValue(members[step], out var child))
        {
            return;
        }

        switch (child)
        {
            case Base single:
                Select(single, members, step + 1, into);
                break;
            case IReadOnlyList<Base> items:
                // Firely's lists; indexed, as foreach over the interface boxes an enumerator a step.
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is { } item)
                    {
                        Select(item, members, step + 1, into);
                    }
                }

                break;
            case IEnumerable<Base> items:
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        Select(item, members, step + 1, into);
                    }
                }

                break;
        }
    }
}
