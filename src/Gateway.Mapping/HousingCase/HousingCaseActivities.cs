using System.Text.Json;
using Gateway.Mapping.Json;
using Gateway.Mapping.LocalOffer;

namespace Gateway.Mapping.HousingCase;

/// <summary>
/// housing-case/v1 <c>activities[]</c>: what the tenant took up becomes a resulting-activity Task
/// output, and when the activity names its directory service (<c>serviceId</c> or
/// <c>sourceServiceId</c>, SPEC §11) a second one referencing that HealthcareService.
/// </summary>
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

    private const string ServiceIdField = "serviceId";
    private const string SourceServiceIdField = "sourceServiceId";

    public static List<Hl7.Fhir.Model.Task.OutputComponent> Read(JsonObjectReader record, DateTimeOffset receivedAt, ServiceLookup? services)
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
            var service = Service(activity, services);
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
                if (service is not null)
                {
                    outputs.Add(service);
                }
            }
        }

        return outputs;
    }

    /// <summary>The services the record's activities name, for the caller to look up before mapping; none when the record does not parse.</summary>
    public static IEnumerable<ServiceKey> ServiceKeys(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("activities", out var activities) || activities.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var activity in activities.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object))
        {
            foreach (var (field, kind) in new[] { (ServiceIdField, ServiceKeyKind.GatewayId), (SourceServiceIdField, ServiceKeyKind.SourceId) })
            {
                if (activity.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
                {
                    yield return ServiceKey.Of(kind, value.GetString()!);
                }
            }
        }
    }

    // An activity names its service one way: the gateway's id, or its own directory source's id.
    private static Hl7.Fhir.Model.Task.OutputComponent? Service(JsonObjectReader activity, ServiceLookup? services)
    {
        var serviceId = activity.String(ServiceIdField, required: false);
        var sourceServiceId = activity.String(SourceServiceIdField, required: false);
        if (serviceId is not null && sourceServiceId is not null)
        {
            activity.Issues.Add(new(RecordIssueCode.InvalidValue, activity.PathOf(SourceServiceIdField),
                $"The activity names its service twice ({ServiceIdField} '{serviceId}', {SourceServiceIdField} '{sourceServiceId}'); give one of the two."));
            return null;
        }

        return serviceId is not null ? TakenUpService.Check(ServiceKey.Of(ServiceKeyKind.GatewayId, serviceId), activity.PathOf(ServiceIdField), services, activity.Issues)
            : sourceServiceId is not null ? TakenUpService.Check(ServiceKey.Of(ServiceKeyKind.SourceId, sourceServiceId), activity.PathOf(SourceServiceIdField), services, activity.Issues)
            : null;
    }
}
