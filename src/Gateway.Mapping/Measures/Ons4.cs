using Hl7.Fhir.Model;

namespace Gateway.Mapping.Measures;

/// <summary>ONS4 personal wellbeing: four integer answers 0–10 (Questionnaire-ons4.json).</summary>
public static class Ons4
{
    public const string Canonical = Canonicals.Ons4Questionnaire;

    /// <summary>The Questionnaire's linkIds, in its order; housing-case/v1 answers use the same names.</summary>
    public static IReadOnlyList<string> LinkIds { get; } = ["satisfied", "worthwhile", "happy", "anxious"];

    /// <param name="answers">An answer for every linkId, each already checked to be 0–10.</param>
    public static QuestionnaireResponse Response(DateOnly completedOn, IReadOnlyDictionary<string, int> answers) =>
        MeasureResponses.Completed(Canonical, completedOn, LinkIds.Select(id => (id, (DataType)new Integer(answers[id]))));
}
