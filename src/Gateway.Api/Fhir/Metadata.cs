using Gateway.Fhir.Conformance;

namespace Gateway.Api.Fhir;

/// <summary>capabilities (FHIR R4 http.html#capabilities): GET /fhir/metadata.</summary>
public static class Metadata
{
    public static IResult Handle(HttpRequest request, EndpointDataSource endpoints, ConformanceResources guide, TimeProvider clock)
    {
        var interactions = endpoints.Endpoints
            .SelectMany(e => e.Metadata.GetOrderedMetadata<FhirInteraction>())
            .ToList();
        var statement = CapabilityStatementBuilder.Build(
            FhirRequest.BaseUrl(request),
            interactions.Where(i => !i.IsSystemLevel).Select(i => i.Code).ToHashSet(),
            interactions.Where(i => i.IsSystemLevel).Select(i => i.Code).ToHashSet(),
            endpoints.Endpoints.Select(e => e.Metadata.GetMetadata<SupportedOperation>()).OfType<SupportedOperation>().ToHashSet(),
            guide,
            clock.GetUtcNow(),
            $"{request.Scheme}://{request.Host}{request.PathBase}{Smart.TokenEndpoint.Path}");
        return FhirResult.Of(statement);
    }
}
