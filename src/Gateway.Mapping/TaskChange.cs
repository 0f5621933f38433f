using Hl7.Fhir.Model;

namespace Gateway.Mapping;

/// <summary>
/// What a partner record asks of the referral's Task. The caller checks the move against the Task
/// state machine and <see cref="StatusChangedAt"/> against the Task's last change (an older record
/// arriving late must not move the Task back).
/// </summary>
/// <param name="Status">The new Task.status, or null when the partner status maps to none.</param>
/// <param name="BusinessStatus">The gateway's referral-business-status coding.</param>
/// <param name="StatusReason">Free text, present when the record gives one.</param>
/// <param name="StatusChangedAt">When the partner says the status changed; date-only sources give midnight UTC.</param>
/// <param name="Outputs">Task.output entries to add: resulting-activity and additional-content.</param>
/// <param name="Notes">Task.note entries; empty unless the patient agreed to share notes with the GP.</param>
public sealed record TaskChange(
    Hl7.Fhir.Model.Task.TaskStatus? Status,
    Coding? BusinessStatus,
    string? StatusReason,
    DateTimeOffset StatusChangedAt,
    IReadOnlyList<Hl7.Fhir.Model.Task.OutputComponent> Outputs,
    IReadOnlyList<Annotation> Notes);
