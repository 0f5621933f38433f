using Gateway.Fhir.Storage;
using Gateway.Fhir.Validation.Profiles;
using Gateway.Fhir.Workflow;
using Gateway.Mapping;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Records;

/// <summary>What applying a record wrote: version-specific references, and a note when part of it was deliberately left out.</summary>
public sealed record AppliedRecord(IReadOnlyList<string> Produced, string? TaskId, DateTimeOffset? StatusChangedAt, string? Note);

/// <summary>
/// Applies a housing-case or wor-export update to its referral, as the partner (so the Task rules
/// and the state machine judge it like any other write): the outcome measures as
/// QuestionnaireResponses based on the referral, then the Task moved along the owner's path to the
/// reported status with its business status, outputs and notes. An update older than one already
/// applied never moves the Task back; its measures are still kept.
/// </summary>
public static class ReferralUpdateApplier
{
    /// <param name="chunk">The chunk the record is applied in (null: alone), which knows the Tasks' newest status times.</param>
    public static async Task<AppliedRecord> ApplyAsync(ResourceWriter writer, ReferralUpdate update, LinkedReferral referral, ProfileValidator validator, CancellationToken ct,
        ChunkWrites? chunk = null)
    {
        var produced = new List<string>();
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var measure in update.Measures)
        {
            var response = measure.Response;
            response.BasedOn = [new ResourceReference($"ServiceRequest/{referral.RequestId}")];
            response.Subject = new ResourceReference($"Patient/{referral.PatientId}");
            validator.EnsureValid(response);
            var stored = await Measurements.StoreAsync(writer, response, referral.RequestId, ct, chunk?.Measures);
            placeholders[measure.FullUrl] = $"QuestionnaireResponse/{stored.Id}";
            produced.Add(VersionReference(stored));
        }

        var change = update.Task;
        var task = referral.Task;
        var latest = chunk is null ? await LatestStatusAsync(writer, task.Id!, ct) : await chunk.LatestStatusAsync(writer, task.Id!, ct);
        var stale = latest is { } newest && change.StatusChangedAt < newest;
        var path = change.Status is { } target && target != task.Status && !stale
            ? TaskStateMachine.OwnerPath(task.Status ?? FhirTask.TaskStatus.Requested, target) ?? [target]
            : [];

        // The steps before the reported state carry no reason or outputs of their own.
        foreach (var step in path.SkipLast(1))
        {
            task.Status = step;
            task.StatusReason = null;
            if (StepNeedsItsOwnCheck(task))
            {
                validator.EnsureValid(task);
            }

            task = (FhirTask)(await WriteAsync(writer, task, produced, ct)).Resource!.DeepCopy();
        }

        if (path.Count > 0)
        {
            task.Status = path[^1];
            task.StatusReason = change.StatusReason is { } reason ? new CodeableConcept { Text = reason } : null;
        }

        if (!stale && change.BusinessStatus is { } business)
        {
            task.BusinessStatus = new CodeableConcept { Coding = [business] };
        }

        foreach (var output in change.Outputs)
        {
            if (output.Value is ResourceReference { Reference: { } url } reference && placeholders.TryGetValue(url, out var actual))
            {
                reference.Reference = actual;
            }

            if (!task.Output.Any(o => o.IsExactly(output)))
            {
                task.Output.Add(output);
            }
        }

        task.Note.AddRange(change.Notes);
        task.LastModified = ReferralTask.Instant(writer.Now);
        validator.EnsureValid(task);
        await WriteAsync(writer, task, produced, ct);
        var note = stale && change.Status is not null && change.Status != task.Status
            ? $"Its status ({change.StatusChangedAt:O}) is older than one already applied ({latest:O}); the Task was not moved back."
            : null;
        return new AppliedRecord(produced, task.Id, stale ? latest : change.StatusChangedAt, note);
    }

    private static async Task<DateTimeOffset?> LatestStatusAsync(ResourceWriter writer, string taskId, CancellationToken ct)
    {
        await using var command = writer.Command();
        return await RecordLog.LatestStatusAsync(command, taskId, ct);
    }

    /// <summary>
    /// Whether a step before the reported state must be validated on its own: the record's Task is
    /// validated once, at its last step (issue 18: validation of each version was 2–3 walks of the
    /// profile a record). A step is that last version but for what the step itself sets (its status,
    /// no reason) and what the record adds after it (reason, business status, outputs, notes, which
    /// the step has the stored Task's of, as this validator passed them when they were written). The
    /// referral-task profile's rules on those are gw-task-1 (a status that needs a reason),
    /// gw-task-2 (completed needs outputs) and gw-task-3 (no owner needs a business status): a step
    /// those could refuse is validated as before, so it is refused with the same issues.
    /// </summary>
    private static bool StepNeedsItsOwnCheck(FhirTask step) =>
        step.Status is not { } status || TaskStateMachine.NeedReason.Contains(status) || status == FhirTask.TaskStatus.Completed || step.Owner is null;

    // The last step's version is not read again: only a step before it is copied, for the next step to change.
    private static async Task<StoredResource> WriteAsync(ResourceWriter writer, FhirTask task, List<string> produced, CancellationToken ct)
    {
        var (stored, _) = await writer.UpdateAsync(task, null, ct);
        produced.Add(VersionReference(stored));
        return stored;
    }

    public static string VersionReference(StoredResource stored) =>
        $"{stored.ResourceType}/{stored.Id}/_history/{stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
