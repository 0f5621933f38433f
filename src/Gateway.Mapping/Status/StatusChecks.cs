namespace Gateway.Mapping.Status;

internal static class StatusChecks
{
    // referral-task gw-task-1: a rejected, cancelled, on-hold or failed Task says why in statusReason.
    private static readonly Hl7.Fhir.Model.Task.TaskStatus[] NeedReason =
    [
        Hl7.Fhir.Model.Task.TaskStatus.Rejected, Hl7.Fhir.Model.Task.TaskStatus.Cancelled,
        Hl7.Fhir.Model.Task.TaskStatus.OnHold, Hl7.Fhir.Model.Task.TaskStatus.Failed,
    ];

    /// <summary>The partner status translated, or an unknown-status issue naming the field and the known codes.</summary>
    public static TranslatedStatus? Translate(StatusTranslation statuses, string code, string location, ICollection<RecordIssue> issues)
    {
        if (statuses.Translate(code) is { } translated)
        {
            return translated;
        }

        issues.Add(new(RecordIssueCode.UnknownStatus, location, $"'{code}' is not a known status; expected one of {string.Join(", ", statuses.KnownCodes)}."));
        return null;
    }

    public static void RequireReason(TranslatedStatus? status, string? reason, string location, ICollection<RecordIssue> issues)
    {
        if (status?.Status is { } taskStatus && NeedReason.Contains(taskStatus) && string.IsNullOrWhiteSpace(reason))
        {
            issues.Add(new(RecordIssueCode.Required, location, $"A reason is required with status '{status.Code}'; say why, in words the GP can read."));
        }
    }
}
