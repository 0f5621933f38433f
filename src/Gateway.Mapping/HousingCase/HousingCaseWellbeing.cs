using Gateway.Mapping.Json;
using Gateway.Mapping.Measures;

namespace Gateway.Mapping.HousingCase;

/// <summary>housing-case/v1 <c>wellbeing[]</c>: each ONS4 measurement becomes a QuestionnaireResponse.</summary>
internal static class HousingCaseWellbeing
{
    public static List<MeasureResponse> Read(JsonObjectReader record, string recordKey, DateTimeOffset receivedAt)
    {
        var measures = new List<MeasureResponse>();
        var index = 0;
        foreach (var measure in record.Objects("wellbeing", required: false))
        {
            var role = $"wellbeing[{index++}]";
            var instrument = measure.String("instrument", required: true);
            var completedText = measure.String("completedOn", required: true);
            var completedOn = completedText is null ? null : RecordValues.Date(completedText, "yyyy-MM-dd", measure.PathOf("completedOn"), receivedAt, measure.Issues);
            var answers = measure.Object("answers", required: true);
            measure.RejectUnknownFields();

            if (instrument is not null && instrument != "ons4")
            {
                measure.Issues.Add(new(RecordIssueCode.InvalidValue, measure.PathOf("instrument"), $"'{instrument}' is not a wellbeing instrument of housing-case/v1; expected ons4."));
                continue;
            }

            var scores = answers is null ? null : ReadOns4(answers);
            if (completedOn is not null && scores is not null)
            {
                measures.Add(new MeasureResponse(Placeholders.NewResource(recordKey, role), Ons4.Response(completedOn.Value, scores)));
            }
        }

        return measures;
    }

    private static Dictionary<string, int>? ReadOns4(JsonObjectReader answers)
    {
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var linkId in Ons4.LinkIds)
        {
            var value = answers.Integer(linkId, required: true);
            if (value is not null && RecordValues.Score(value.Value, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), answers.PathOf(linkId), answers.Issues) is { } score)
            {
                scores[linkId] = score;
            }
        }

        answers.RejectUnknownFields();
        return scores.Count == Ons4.LinkIds.Count ? scores : null;
    }
}
