using Gateway.Mapping.Json;
using Gateway.Mapping.LocalOffer;
using Gateway.Mapping.Status;

namespace Gateway.Mapping.HousingCase;

/// <summary>
/// housing-case/v1 (one case update per message, ../shared/samples/housing-case/README.md) to the
/// changes it implies for the referral's Task and the outcome measures it carries.
/// </summary>
public sealed class HousingCaseMapper
{
    public const string Format = "housing-case/v1";

    private readonly StatusTranslation _statuses;

    /// <param name="statuses">From ConceptMap-housing-case-status-to-task.json, as the caller loaded it.</param>
    public HousingCaseMapper(StatusTranslation statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (statuses.SourceSystem != Canonicals.HousingCaseStatus)
        {
            throw new ArgumentException($"The statuses map {statuses.SourceSystem}, not {Canonicals.HousingCaseStatus}.", nameof(statuses));
        }

        _statuses = statuses;
    }

    /// <param name="json">The message as received.</param>
    /// <param name="receivedAt">When the gateway received it: no date in it may be later.</param>
    /// <param name="isKnownReferral">Whether the gateway knows the referral the record names; null to leave that check to the caller.</param>
    /// <param name="services">The directory services <see cref="ServiceKeys"/> named, as the caller found them; null to leave that check to the caller (no service output is made then).</param>
    /// <remarks>
    /// Not checked here: that <c>provider</c> is the authenticated partner, and that the confirmation
    /// facts match the referral's Patient. The caller has both.
    /// </remarks>
    public MappingResult<ReferralUpdate> Map(string json, DateTimeOffset receivedAt, Func<ReferralLink, bool>? isKnownReferral = null, ServiceLookup? services = null)
    {
        var issues = new List<RecordIssue>();
        var record = RecordJson.Open(json, Format, issues, out var document);
        using (document)
        {
            if (record is null)
            {
                return MappingResult.Rejected<ReferralUpdate>(issues);
            }

            var messageId = record.String("messageId", required: true) ?? "";
            record.String("provider", required: true);
            record.String("caseRef", required: true);
            var (taskId, identifier, referralValid) = HousingCaseReferral.Read(record);
            var tenant = HousingTenant.Read(record, receivedAt, isReferral: false);
            var statusCode = record.String("status", required: true);
            var status = statusCode is null ? null : StatusChecks.Translate(_statuses, statusCode, "$.status", issues);
            var statusReason = record.String("statusReason", required: false);
            var changedText = record.String("statusChangedAt", required: true);
            var changedAt = changedText is null ? null : RecordValues.Instant(changedText, "$.statusChangedAt", receivedAt, issues);
            ReadWorker(record);
            var activities = HousingCaseActivities.Read(record, receivedAt, services);
            var measures = HousingCaseWellbeing.Read(record, messageId, receivedAt);
            var consentToShare = record.Boolean("consentToShareNotesWithGp", required: false) ?? false;
            var notes = record.String("notes", required: false);
            record.RejectUnknownFields();
            StatusChecks.RequireReason(status, statusReason, "$.statusReason", issues);

            var link = referralValid && tenant is not null ? new ReferralLink(taskId, identifier, null, null, tenant.Confirmation) : null;
            if (link is not null && isKnownReferral is not null && !isKnownReferral(link))
            {
                issues.Add(new(RecordIssueCode.UnknownReferral, "$.referral", "The gateway knows no referral by this link; expected the serviceRequestIdentifier or gatewayTaskId given in referral/v1."));
            }

            return MappingResult.From(issues, () =>
            {
                var change = new TaskChange(
                    status!.Status,
                    status.BusinessStatus,
                    statusReason,
                    changedAt!.Value,
                    [.. activities, .. measures.Select(TaskOutputs.AdditionalContent)],
                    TaskOutputs.Notes(notes, consentToShare, changedAt.Value));
                return new ReferralUpdate(messageId, link!, change, measures);
            });
        }
    }

    /// <summary>The directory services the record's activities name, for the caller to look up before <see cref="Map"/>.</summary>
    public static IReadOnlyList<ServiceKey> ServiceKeys(string json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return HousingCaseActivities.ServiceKeys(document.RootElement).ToList();
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static void ReadWorker(JsonObjectReader record)
    {
        if (record.Object("worker", required: false) is { } worker)
        {
            worker.String("staffId", required: true);
            worker.String("role", required: false);
            worker.RejectUnknownFields();
        }
    }
}
