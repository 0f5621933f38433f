using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// Every Reference in a resource at any depth, contained resources and extensions included, with
/// its FHIRPath. Found through Firely's own element enumeration, so no element path is hardcoded.
/// </summary>
internal static class ResourceReferences
{
    public static IEnumerable<(ResourceReference Reference, string Path)> In(Resource resource) => Walk(resource, resource.TypeName);

    private static IEnumerable<(ResourceReference, string)> Walk(Base element, string path)
    {
        foreach (var (name, value) in element.EnumerateElements())
        {
            // A value is a single element or a list of them (Base.EnumerateElements). Choice elements
            // come under their bare name ("value", not "valueReference"), which is how FHIRPath names them too.
            var children = value switch
            {
                IReadOnlyList<Base> list => list.Select((child, i) => (child, $"{path}.{name}[{i}]")),
                Base child => [(child, $"{path}.{name}")],
                _ => [],
            };
            foreach (var (child, childPath) in children)
            {
                if (child is ResourceReference reference)
                {
                    yield return (reference, childPath);
                }

                // Descend into references too: Reference.identifier.assigner is itself a Reference.
                foreach (var found in Walk(child, childPath))
                {
                    yield return found;
                }
            }
        }
    }
}
