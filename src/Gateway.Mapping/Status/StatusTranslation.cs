using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace Gateway.Mapping.Status;

/// <summary>
/// A partner's status vocabulary translated to Task.status and Task.businessStatus by the IG's
/// ConceptMap (e.g. ConceptMap-housing-case-status-to-task.json), read at run time: a new partner
/// status is a ConceptMap change, not a code change (SPEC §4). Groups targeting
/// <see cref="Canonicals.TaskStatus"/> give the status, groups targeting
/// <see cref="Canonicals.ReferralBusinessStatus"/> the business status.
/// </summary>
public sealed class StatusTranslation
{
    private readonly Dictionary<string, TranslatedStatus> _byCode = new(StringComparer.Ordinal);

    public StatusTranslation(ConceptMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var sources = map.Group.Select(g => g.Source).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (sources.Count != 1)
        {
            throw new ArgumentException($"ConceptMap {map.Url} must map one partner code system; it maps {sources.Count}.", nameof(map));
        }

        SourceSystem = sources[0];
        foreach (var group in map.Group)
        {
            foreach (var element in group.Element)
            {
                var target = element.Target.FirstOrDefault(IsMapped)?.Code;
                if (element.Code is null || target is null)
                {
                    continue;
                }

                var known = _byCode.GetValueOrDefault(element.Code) ?? new TranslatedStatus(element.Code, null, null);
                _byCode[element.Code] = group.Target switch
                {
                    Canonicals.TaskStatus => known with { Status = ParseTaskStatus(map, element.Code, target) },
                    Canonicals.ReferralBusinessStatus => known with { BusinessStatus = new Coding(Canonicals.ReferralBusinessStatus, target) },
                    _ => known,
                };
            }
        }
    }

    /// <summary>The partner code system the ConceptMap maps from.</summary>
    public string SourceSystem { get; }

    public IEnumerable<string> KnownCodes => _byCode.Keys.Order(StringComparer.Ordinal);

    /// <summary>The translation of a partner status, or null when the ConceptMap does not know it.</summary>
    public TranslatedStatus? Translate(string code) => _byCode.GetValueOrDefault(code);

    // R4 ConceptMap: 'unmatched' and 'disjoint' say there is no target.
    private static bool IsMapped(ConceptMap.TargetElementComponent target) =>
        target.Code is not null
        && target.Equivalence is not (ConceptMapEquivalence.Unmatched or ConceptMapEquivalence.Disjoint);

    private static Hl7.Fhir.Model.Task.TaskStatus ParseTaskStatus(ConceptMap map, string source, string target) =>
        EnumUtility.ParseLiteral<Hl7.Fhir.Model.Task.TaskStatus>(target)
        ?? throw new ArgumentException($"ConceptMap {map.Url} maps '{source}' to '{target}', which is not a Task status.", nameof(map));
}

/// <summary>A partner status and what it means for the Task.</summary>
public sealed record TranslatedStatus(string Code, Hl7.Fhir.Model.Task.TaskStatus? Status, Coding? BusinessStatus);
