using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace Gateway.Fhir.Terminology;

/// <summary>What to translate (FHIR R4 conceptmap-operation-translate.html): a code, and optionally the maps, source and target to use.</summary>
public sealed record TranslationRequest(string? System, string Code, string? Source = null, string? Target = null, string? TargetSystem = null);

public sealed record TranslationMatch(ConceptMapEquivalence? Equivalence, string? System, string? Code, string? Display, string ConceptMapUrl, string? Comment);

/// <summary>
/// ConceptMap $translate over the guide's maps: every target of every group whose source system is
/// the code's, in the maps that fit the request's source and target value sets. Partner mapping
/// uses the same function at run time, so a new partner vocabulary is a data change (SPEC §4).
/// </summary>
public static class ConceptTranslation
{
    /// <param name="systemsOf">The code systems of a value set, to match a target value set against a group's target system.</param>
    public static IReadOnlyList<TranslationMatch> Translate(IEnumerable<ConceptMap> maps, TranslationRequest request, Func<string, IReadOnlySet<string>> systemsOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(systemsOf);
        var targetSystems = request.Target is null ? null : systemsOf(request.Target);
        return maps
            .Where(map => request.Source is null || SourceOf(map) == request.Source)
            .SelectMany(map => map.Group.Select(group => (map, group)))
            .Where(x => request.System is null || x.group.Source == request.System)
            .Where(x => request.TargetSystem is null || x.group.Target == request.TargetSystem)
            .Where(x => targetSystems is null || TargetOf(x.map) == request.Target || targetSystems.Contains(x.group.Target ?? ""))
            .SelectMany(x => x.group.Element.Where(e => e.Code == request.Code).SelectMany(e => e.Target)
                .Select(t => new TranslationMatch(t.Equivalence, x.group.Target, t.Code, t.Display, x.map.Url!, t.Comment)))
            .ToList();
    }

    /// <summary>The $translate answer: result, a message when nothing matched, and one match part per target.</summary>
    public static Parameters ToParameters(IReadOnlyList<TranslationMatch> matches, TranslationRequest request)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(request);
        // R4: result is true only when a match is equivalent, equal, wider, subsumes or inexact... i.e. anything but unmatched/disjoint.
        var positive = matches.Where(m => m.Equivalence is not (ConceptMapEquivalence.Unmatched or ConceptMapEquivalence.Disjoint)).ToList();
        var parameters = new Parameters();
        parameters.Add("result", new FhirBoolean(positive.Count > 0));
        if (positive.Count == 0)
        {
            parameters.Add("message", new FhirString($"No mapping for {request.System}|{request.Code} in this server's concept maps."));
        }

        foreach (var match in matches)
        {
            var parts = new List<Tuple<string, Base>>
            {
                Tuple.Create("equivalence", (Base)new Code(match.Equivalence?.GetLiteral())),
                Tuple.Create("concept", (Base)new Coding(match.System, match.Code, match.Display)),
                Tuple.Create("source", (Base)new FhirUri(match.ConceptMapUrl)),
            };
            parameters.Add("match", parts);
        }

        return parameters;
    }

    private static string? SourceOf(ConceptMap map) => (map.Source as FhirUri)?.Value ?? (map.Source as Canonical)?.Value;

    private static string? TargetOf(ConceptMap map) => (map.Target as FhirUri)?.Value ?? (map.Target as Canonical)?.Value;
}
