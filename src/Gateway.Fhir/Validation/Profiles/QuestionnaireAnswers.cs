using Hl7.Fhir.Model;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// A QuestionnaireResponse against the Questionnaire it names (FHIR R4 questionnaireresponse.html,
/// "answers typed as the Questionnaire says"): every linkId known, answers of the item's type and
/// within its minValue/maxValue, no repeats where the item does not repeat, and, once completed,
/// every required item answered.
/// </summary>
internal static class QuestionnaireAnswers
{
    private const string MinValue = "http://hl7.org/fhir/StructureDefinition/minValue";
    private const string MaxValue = "http://hl7.org/fhir/StructureDefinition/maxValue";

    public static void Check(QuestionnaireResponse response, Questionnaire questionnaire, string location, List<OperationOutcome.IssueComponent> issues)
    {
        var completed = response.Status is QuestionnaireResponse.QuestionnaireResponseStatus.Completed or QuestionnaireResponse.QuestionnaireResponseStatus.Amended;
        CheckItems(response.Item, questionnaire.Item, location, completed, questionnaire.Url ?? "", issues);
    }

    private static void CheckItems(List<QuestionnaireResponse.ItemComponent> answered, List<Questionnaire.ItemComponent> asked, string location, bool completed, string url, List<OperationOutcome.IssueComponent> issues)
    {
        for (var i = 0; i < answered.Count; i++)
        {
            var item = answered[i];
            var itemLocation = $"{location}.item[{i}]";
            if (Asked(asked, item.LinkId) is not { } question)
            {
                issues.Add(ProfileIssues.Error(IssueType.Value, "questionnaire-item", itemLocation + ".linkId", $"{itemLocation}.linkId '{item.LinkId}' is not an item of {url}."));
                continue;
            }

            if (question.Repeats != true && item.Answer.Count > 1)
            {
                issues.Add(ProfileIssues.Error(IssueType.Structure, "questionnaire-answer", itemLocation + ".answer", $"{itemLocation} '{item.LinkId}' takes one answer, found {item.Answer.Count} ({url})."));
            }

            for (var j = 0; j < item.Answer.Count; j++)
            {
                var answer = item.Answer[j];
                if (AnswerProblem(question, answer.Value) is { } problem)
                {
                    var answerLocation = $"{itemLocation}.answer[{j}].value";
                    issues.Add(ProfileIssues.Error(IssueType.Value, "questionnaire-answer", answerLocation, $"{answerLocation} ('{item.LinkId}') {problem} ({url})."));
                }

                CheckItems(answer.Item, question.Item, $"{itemLocation}.answer[{j}]", completed, url, issues);
            }

            CheckItems(item.Item, question.Item, itemLocation, completed, url, issues);
        }

        if (completed)
        {
            foreach (var missing in asked.Where(q => q.Required == true && q.Type != Questionnaire.QuestionnaireItemType.Display
                && !answered.Any(a => a.LinkId == q.LinkId && (a.Answer.Count > 0 || a.Item.Count > 0))))
            {
                issues.Add(ProfileIssues.Error(IssueType.Required, "questionnaire-required", location + ".item", $"{location}.item: '{missing.LinkId}' is required by {url}, and the response is completed."));
            }
        }
    }

    // The first question with the item's linkId; a loop, not FirstOrDefault's closure an item (issue 18, thirteenth pass).
    private static Questionnaire.ItemComponent? Asked(List<Questionnaire.ItemComponent> asked, string? linkId)
    {
        foreach (var question in asked)
        {
            if (question.LinkId == linkId)
            {
                return question;
            }
        }

        return null;
    }

    private static string? AnswerProblem(Questionnaire.ItemComponent question, DataType? value)
    {
        var expected = question.Type switch
        {
            Questionnaire.QuestionnaireItemType.Integer => typeof(Integer),
            Questionnaire.QuestionnaireItemType.Decimal => typeof(FhirDecimal),
            Questionnaire.QuestionnaireItemType.Boolean => typeof(FhirBoolean),
            Questionnaire.QuestionnaireItemType.String or Questionnaire.QuestionnaireItemType.Text => typeof(FhirString),
            Questionnaire.QuestionnaireItemType.Date => typeof(Date),
            Questionnaire.QuestionnaireItemType.DateTime => typeof(FhirDateTime),
            Questionnaire.QuestionnaireItemType.Choice => typeof(Coding),
            _ => null,
        };
        if (expected is not null && value?.GetType() != expected)
        {
            return $"must be a {Hl7.Fhir.Utility.EnumUtility.GetLiteral(question.Type)} answer, found {value?.TypeName ?? "none"}";
        }

        var number = value switch
        {
            Integer integer => integer.Value,
            FhirDecimal @decimal => @decimal.Value,
            _ => (decimal?)null,
        };
        if (number is null)
        {
            return null;
        }

        var min = Bound(question, MinValue);
        var max = Bound(question, MaxValue);
        return number < min || number > max ? $"is {number}, outside {min ?? decimal.MinValue}..{max ?? decimal.MaxValue}" : null;
    }

    private static decimal? Bound(Questionnaire.ItemComponent question, string url) => question.GetExtension(url)?.Value switch
    {
        Integer integer => integer.Value,
        FhirDecimal @decimal => @decimal.Value,
        _ => null,
    };
}
