using Hl7.Fhir.Model;

namespace Gateway.Mapping.Measures;

/// <summary>
/// The six positive-health dimensions, each 0–10 with decimals (Questionnaire-positive-health.json,
/// whose items are of type decimal, so the answers are valueDecimal).
/// </summary>
public static class PositiveHealth
{
    public const string Canonical = Canonicals.PositiveHealthQuestionnaire;

    /// <summary>The Questionnaire's linkIds, in its order.</summary>
    public static IReadOnlyList<string> LinkIds { get; } =
        ["bodily-functions", "mental-wellbeing", "meaningfulness", "quality-of-life", "participation", "daily-functioning"];

    /// <param name="scores">A score for every linkId, each already checked to be 0–10.</param>
    public static QuestionnaireResponse Response(DateOnly measuredOn, IReadOnlyDictionary<string, decimal> scores) =>
        MeasureResponses.Completed(Canonical, measuredOn, LinkIds.Select(id => (id, (DataType)new FhirDecimal(scores[id]))));
}
