using Hl7.Fhir.ElementModel;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>Evaluates the registered search parameters of a resource into index rows.</summary>
public static class SearchIndexer
{
    public static IndexRows Extract(Resource resource) => Extract(resource, walkMemberPaths: true);

    /// <param name="walkMemberPaths">
    /// false evaluates every branch with the FHIRPath engine, as extraction did before
    /// <see cref="MemberPath"/>; the tests compare the two.
    /// </param>
    internal static IndexRows Extract(Resource resource, bool walkMemberPaths)
    {
        ArgumentNullException.ThrowIfNull(resource);

        // Most branches are member chains; the FHIRPath node and context only for those that are not.
        PocoNode? node = null;
        FhirEvaluationContext? context = null;
        var values = new List<Base>();
        var rows = new IndexRowsBuilder();
        // Indexed loops: foreach over these interfaces boxed an enumerator a parameter (issue 18, thirteenth pass).
        var parameters = SearchParameterRegistry.Registered(resource.TypeName);
        for (var p = 0; p < parameters.Count; p++)
        {
            var definition = parameters[p].Definition;
            var paths = parameters[p].Paths;
            for (var b = 0; b < paths.Count; b++)
            {
                var path = paths[b];
                values.Clear();
                if (walkMemberPaths && path.Members is { } members)
                {
                    MemberPath.Select(resource, members, values);
                }
                else if (walkMemberPaths && path.Guard is { } guard && !Reaches(resource, guard, values))
                {
                    continue;
                }
                else
                {
                    node ??= resource.ToPocoNode();
                    context ??= new FhirEvaluationContext { Resource = node, RootResource = node };
                    values.AddRange(path.Select([node], context).ToFhirValues().OfType<Base>());
                }

                foreach (var value in values)
                {
                    Index(definition, path, value, rows);
                }
            }
        }

        return rows.Build();
    }

    private static bool Reaches(Resource resource, IReadOnlyList<string> members, List<Base> scratch)
    {
        MemberPath.Select(resource, members, scratch);
        var any = scratch.Count > 0;
        scratch.Clear();
        return any;
    }

    private static void Index(SearchParameterDefinition definition, SearchPath path, Base value, IndexRowsBuilder rows)
    {
        switch (definition.Type)
        {
            case SearchParamKind.Token:
                TokenValues.Index(definition.Name, value, rows);
                break;
            case SearchParamKind.String:
                StringValues.Index(definition.Name, value, rows);
                break;
            case SearchParamKind.Date:
                DateValues.Index(definition.Name, value, rows);
                break;
            case SearchParamKind.Reference:
                ReferenceValues.Index(definition.Name, path, value, rows);
                break;
            case SearchParamKind.Uri:
                TokenValues.IndexUri(definition.Name, value, rows);
                break;
            case SearchParamKind.Position:
                PositionValues.Index(definition.Name, value, rows);
                break;
        }
    }
}
