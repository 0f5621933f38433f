using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir;

/// <summary>CodeSystem $lookup (FHIR R4 codesystem-operation-lookup.html) in the guide's code systems, by system and code or by coding.</summary>
public static class Lookup
{
    public static async Task<IResult> Handle(HttpRequest request, ConformanceResources guide, CancellationToken ct)
    {
        var parameters = await OperationParameters.ReadAsync(request, ct);
        var coding = parameters.Coding("coding");
        var system = parameters.Value("system") ?? coding?.System ?? throw OperationParameters.Invalid("give system and code, or coding.", "system");
        var code = parameters.Value("code") ?? coding?.Code ?? throw OperationParameters.Invalid("give system and code, or coding.", "code");
        var codeSystem = guide.Find<CodeSystem>(system) ?? throw new ResourceNotFoundException($"The code system '{system}' is not known to this server.");
        return FhirResult.Of(CodeSystemLookup.Lookup(codeSystem, code) ?? throw new ResourceNotFoundException($"'{code}' is not a code of {system}."));
    }
}
