using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>Evaluates the registered search parameters of a resource into index rows.</summary>
public static class SearchIndexer
{
    public static IndexRows Extract(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);

        var node = resource.ToPocoNode();
        var context = new FhirEvaluationContext { Resource = node, RootResource = node };
        var rows = new IndexRowsBuilder();
        foreach (var parameter in SearchParameterRegistry.Registered(resource.TypeName))
        {
            var definition = parameter.Definition;
            foreach (var path in parameter.Paths)
            {
                foreach (var value in path.Select([node], context).ToFhirValues())
                {
                    if (value is not null)
                    {
                        Index(definition, path, value, rows);
                    }
                }
            }
        }

        return rows.Build();
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
        }
    }
}
