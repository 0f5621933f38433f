using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir;

/// <summary>ValueSet $expand (FHIR R4 valueset-operation-expand.html) of the guide's value sets, by <c>url</c> or by id, with filter, offset and count.</summary>
public static class Expand
{
    public static async Task<IResult> HandleType(HttpRequest request, ConformanceResources guide, TimeProvider clock, CancellationToken ct)
    {
        var parameters = await OperationParameters.ReadAsync(request, ct);
        var url = parameters.Value("url") ?? throw OperationParameters.Invalid("give the url of the value set to expand.", "url");
        return Run(guide.Expansions.Expanded(url) ?? throw new ResourceNotFoundException($"No ValueSet of this server has url '{url}'."), parameters, clock);
    }

    public static async Task<IResult> HandleInstance(string id, HttpRequest request, ConformanceResources guide, TimeProvider clock, CancellationToken ct)
    {
        var parameters = await OperationParameters.ReadAsync(request, ct);
        var valueSet = guide.OfType<ValueSet>().FirstOrDefault(v => v.Id == id) ?? throw new ResourceNotFoundException($"ValueSet/{id} is not known to this server.");
        return Run(guide.Expansions.Expanded(valueSet.Url!)!, parameters, clock);
    }

    private static FhirResult Run(ValueSet expanded, OperationParameters parameters, TimeProvider clock) =>
        FhirResult.Of(ValueSetExpand.Expand(expanded, parameters.Value("filter"), parameters.Number("offset") ?? 0, parameters.Number("count"), clock.GetUtcNow()));
}
