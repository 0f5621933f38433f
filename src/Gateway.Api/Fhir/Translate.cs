using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir;

/// <summary>
/// ConceptMap $translate (FHIR R4 conceptmap-operation-translate.html), GET or POST, on all the
/// guide's maps, one by <c>url</c>, or one by id: Parameters with result, message and a match per target.
/// </summary>
public static class Translate
{
    private const string CoreValueSetPrefix = "http://hl7.org/fhir/ValueSet/";

    public static Task<IResult> HandleType(HttpRequest request, ConformanceResources guide, CancellationToken ct) => Run(request, null, guide, ct);

    public static Task<IResult> HandleInstance(string id, HttpRequest request, ConformanceResources guide, CancellationToken ct) => Run(request, id, guide, ct);

    private static async Task<IResult> Run(HttpRequest request, string? id, ConformanceResources guide, CancellationToken ct)
    {
        var parameters = await OperationParameters.ReadAsync(request, ct);
        var maps = Maps(id, parameters.Value("url") ?? parameters.Value("conceptMap"), guide);
        var coding = parameters.Coding("coding");
        var code = parameters.Value("code") ?? coding?.Code ?? throw OperationParameters.Invalid("give code (with system) or coding.", "code");
        if (parameters.Value("reverse") == "true")
        {
            throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported, "Parameter reverse: reverse translation is not supported.", "reverse");
        }

        var translation = new TranslationRequest(parameters.Value("system") ?? coding?.System, code, parameters.Value("source"), parameters.Value("target"), parameters.Value("targetsystem"));
        var matches = ConceptTranslation.Translate(maps, translation, url => SystemsOf(url, guide));
        return FhirResult.Of(ConceptTranslation.ToParameters(matches, translation));
    }

    private static IEnumerable<ConceptMap> Maps(string? id, string? url, ConformanceResources guide)
    {
        if (id is not null)
        {
            return [guide.OfType<ConceptMap>().FirstOrDefault(m => m.Id == id) ?? throw new ResourceNotFoundException($"ConceptMap/{id} is not known to this server.")];
        }

        return url is null ? guide.OfType<ConceptMap>() : [guide.Find<ConceptMap>(url) ?? throw new ResourceNotFoundException($"No ConceptMap of this server has url '{url}'.")];
    }

    // The guide's value sets by their expansion; a core value set such as .../ValueSet/task-status by the code system of the same name (R4's convention).
    private static IReadOnlySet<string> SystemsOf(string valueSet, ConformanceResources guide) =>
        guide.Expansions.Knows(valueSet) ? guide.Expansions.SystemsOf(valueSet)
        : valueSet.StartsWith(CoreValueSetPrefix, StringComparison.Ordinal) ? new HashSet<string> { "http://hl7.org/fhir/" + valueSet[CoreValueSetPrefix.Length..] }
        : new HashSet<string>();
}
