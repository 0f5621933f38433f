using System.Globalization;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.Measures;

internal static class MeasureResponses
{
    /// <summary>
    /// A completed response to one of the IG's Questionnaires, one item per answer in the given order.
    /// basedOn and subject are the caller's to set (see <see cref="MeasureResponse"/>).
    /// </summary>
    public static QuestionnaireResponse Completed(string questionnaire, DateOnly authored, IEnumerable<(string LinkId, DataType Value)> answers) =>
        new()
        {
            Questionnaire = questionnaire,
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            AuthoredElement = new FhirDateTime(authored.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Item = answers
                .Select(a => new QuestionnaireResponse.ItemComponent
                {
                    LinkId = a.LinkId,
                    Answer = [new QuestionnaireResponse.AnswerComponent { Value = a.Value }],
                })
                .ToList(),
        };
}
