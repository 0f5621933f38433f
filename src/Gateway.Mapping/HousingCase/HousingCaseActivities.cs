using Gateway.Mapping.Json;

namespace Gateway.Mapping.HousingCase;

/// <summary>housing-case/v1 <c>activities[]</c>: what the tenant took up becomes a resulting-activity Task output.</summary>
internal static class HousingCaseActivities
{
    // housing-case/v1 activity code -> social-prescribing-activity code (CodeSystem-social-prescribing-activity.json).
    private static readonly Dictionary<string, string> ActivityCodes = new(StringComparer.Ordinal)
    {
        ["befriending"] = "befriending",
        ["arts_and_crafts"] = "arts-and-crafts",
        ["music"] = "music",
        ["film_club"] = "film-club",
        ["book_club"] = "book-club",
        ["counselling"] = "counselling",
        ["support_group"] = "support-group",
        ["volunteering"] = "volunteering",
        ["wellbeing_conversation"] = "wellbeing-conversation",
        ["physical_activity"] = "physical-activity",
        ["debt_advice"] = "debt-advice",
        ["housing_support"] = "housing-support",
        ["other"] = "other",
    };

    private static readonly string[] Statuses = ["planned", "attending", "completed", "stopped"];

    // Taken up: the tenant goes or went. Planned and stopped activities are not an outcome of the referral.
    private static readonly string[] TakenUp = ["attending", "completed"];

    public static List<Hl7.Fhir.Model.Task.OutputComponent> Read(JsonObjectReader record, DateTimeOffset receivedAt)
    {
        var outputs = new List<Hl7.Fhir.Model.Task.OutputComponent>();
        foreach (var activity in record.Objects("activities", required: false))
        {
            var code = activity.String("code", required: true);
            var description = activity.String("description", required: false);
            var startedOn = activity.String("startedOn", required: false);
            if (startedOn is not null)
            {
                RecordValues.Date(startedOn, "yyyy-MM-dd", activity.PathOf("startedOn"), receivedAt, activity.Issues);
            }

            var status = activity.String("status", required: true);
            activity.RejectUnknownFields();

            var activityCode = code is null ? null : ActivityCodes.GetValueOrDefault(code);
            if (code is not null && activityCode is null)
            {
                activity.Issues.Add(new(RecordIssueCode.InvalidValue, activity.PathOf("code"), $"'{code}' is not an activity code; expected one of {string.Join(", ", ActivityCodes.Keys)}."));
            }

            if (status is not null && !Statuses.Contains(status))
            {
                activity.Issues.Add(new(RecordIssueCode.InvalidValue, activity.PathOf("status"), $"'{status}' is not an activity status; expected one of {string.Join(", ", Statuses)}."));
            }

            if (activityCode is not null && status is not null && TakenUp.Contains(status))
            {
                outputs.Add(TaskOutputs.ResultingActivity(activityCode, description));
            }
        }

        return outputs;
    }
}
