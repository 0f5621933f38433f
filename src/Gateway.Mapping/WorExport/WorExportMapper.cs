using System.Text.RegularExpressions;
using Gateway.Mapping.LocalOffer;
using Gateway.Mapping.Status;

namespace Gateway.Mapping.WorExport;

/// <summary>
/// One wor-export/v1 row to the changes it implies for its referral's Task and the positive-health
/// measurement it carries. Rows are independent: a bad row is rejected alone.
/// </summary>
public sealed partial class WorExportMapper
{
    private readonly StatusTranslation _statuses;

    /// <param name="statuses">From ConceptMap-wor-status-to-task.json, as the caller loaded it.</param>
    public WorExportMapper(StatusTranslation statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (statuses.SourceSystem != Canonicals.WorStatus)
        {
            throw new ArgumentException($"The statuses map {statuses.SourceSystem}, not {Canonicals.WorStatus}.", nameof(statuses));
        }

        _statuses = statuses;
    }

    /// <param name="receivedAt">When the gateway received the file: no date in it may be later.</param>
    /// <param name="isKnownReferral">Whether the gateway knows the referral the row names; null to leave that check to the caller.</param>
    /// <param name="services">The directory services <see cref="ServiceKeys"/> named, as the caller found them; null to leave that check to the caller (no service output is made then).</param>
    public MappingResult<ReferralUpdate> Map(WorExportRow row, DateTimeOffset receivedAt, Func<ReferralLink, bool>? isKnownReferral = null, ServiceLookup? services = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        var issues = new List<RecordIssue>(row.Issues);
        var fields = new RowFields(row, issues, receivedAt);

        var verwijzingId = fields.Required(WorExportColumns.VerwijzingId);
        var agb = fields.Matching(WorExportColumns.VerwijzerAgb, AgbCode(), "an AGB code of 8 digits", required: true);
        var surname = fields.Required(WorExportColumns.Achternaam);
        var birthDate = fields.Date(WorExportColumns.Geboortedatum, required: true);
        var postcode = fields.Matching(WorExportColumns.Postcode, Postcode(), "a Dutch postcode such as 8261 AB", required: false);
        var statusCode = fields.Required(WorExportColumns.Status);
        var status = statusCode is null ? null : StatusChecks.Translate(_statuses, statusCode, row.Location(WorExportColumns.Status), issues);
        var statusDate = fields.Date(WorExportColumns.StatusDatum, required: true);
        var arrangement = fields.Optional(WorExportColumns.Arrangement);
        var service = Service(fields, services);
        var measurement = WorExportMeasurement.Read(fields);
        var consent = fields.Consent();
        var feedback = fields.Optional(WorExportColumns.Terugkoppeling);

        var link = verwijzingId is null || agb is null || surname is null || birthDate is null
            ? null
            : new ReferralLink(null, null, verwijzingId, agb, new PatientConfirmation(null, surname, birthDate.Value, postcode));
        if (link is not null && isKnownReferral is not null && !isKnownReferral(link))
        {
            issues.Add(new(RecordIssueCode.UnknownReferral, row.Location(WorExportColumns.VerwijzingId), $"The gateway knows no referral {verwijzingId} from the practice with AGB code {agb}; expected the referral's identifier as the GP system issued it (in referral/v1)."));
        }

        return MappingResult.From(issues, () =>
        {
            var changedAt = new DateTimeOffset(statusDate!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var measures = measurement is null
                ? []
                : new[] { new MeasureResponse(Placeholders.NewResource(row.ContentHash, "positive-health"), measurement) };
            List<Hl7.Fhir.Model.Task.OutputComponent> outputs =
            [
                .. arrangement is null ? [] : new[] { TaskOutputs.ResultingActivity("other", arrangement) },
                .. service is null ? [] : new[] { service },
                .. measures.Select(TaskOutputs.AdditionalContent),
            ];
            var change = new TaskChange(
                status!.Status,
                status.BusinessStatus,
                StatusReason(status),
                changedAt,
                outputs,
                TaskOutputs.Notes(feedback, consent == true, changedAt));
            return new ReferralUpdate(row.ContentHash, link!, change, measures);
        });
    }

    /// <summary>The directory service the row names as taken up, for the caller to look up before <see cref="Map"/>.</summary>
    public static IReadOnlyList<ServiceKey> ServiceKeys(WorExportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return [.. Named(row).Select(n => n.Key)];
    }

    private static IEnumerable<(string Column, ServiceKey Key)> Named(WorExportRow row) =>
        new[] { (WorExportColumns.ActiviteitId, ServiceKeyKind.SourceId), (WorExportColumns.HealthcareServiceId, ServiceKeyKind.GatewayId) }
            .Select(c => (c.Item1, Value: WorExportRow.Normalise(row[c.Item1]), Kind: c.Item2))
            .Where(c => c.Value.Length > 0)
            .Select(c => (c.Item1, ServiceKey.Of(c.Kind, c.Value)));

    // A row names the activity taken up one way: its own directory source's id, or the gateway's.
    private static Hl7.Fhir.Model.Task.OutputComponent? Service(RowFields fields, ServiceLookup? services)
    {
        var named = Named(fields.Row).ToList();
        if (named.Count > 1)
        {
            fields.Issues.Add(new(RecordIssueCode.InvalidValue, fields.Row.Location(WorExportColumns.HealthcareServiceId),
                $"The row names its activity twice ({WorExportColumns.ActiviteitId} '{named[0].Key.Value}', {WorExportColumns.HealthcareServiceId} '{named[1].Key.Value}'); fill one of the two."));
            return null;
        }

        return named is [var (column, key)] ? TakenUpService.Check(key, fields.Row.Location(column), services, fields.Issues) : null;
    }

    // The export has no reason column, yet a rejected, cancelled or failed Task needs a statusReason (gw-task-1).
    private static string? StatusReason(TranslatedStatus status)
    {
        var reasonNeeded = status.Status is Hl7.Fhir.Model.Task.TaskStatus.Rejected or Hl7.Fhir.Model.Task.TaskStatus.Cancelled
            or Hl7.Fhir.Model.Task.TaskStatus.Failed or Hl7.Fhir.Model.Task.TaskStatus.OnHold;
        return reasonNeeded ? $"The welfare organisation reported status '{status.Code}'." : null;
    }

    [GeneratedRegex("^[0-9]{8}$")]
    private static partial Regex AgbCode();

    [GeneratedRegex("^[1-9][0-9]{3} ?[A-Z]{2}$")]
    private static partial Regex Postcode();
}
