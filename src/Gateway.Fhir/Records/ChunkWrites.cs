using Gateway.Fhir.Storage;

namespace Gateway.Fhir.Records;

/// <summary>
/// What one attempt at a chunk keeps for the chunk as a whole instead of asking or writing per
/// record (issue 18): the records it applied, marked applied together at the end in one statement,
/// and the newest status time each Task has from applied records, read once for the Tasks the
/// chunk's lookup found and kept up to date as the chunk's records apply (the log itself is
/// marked only at the end, so two records of one Task in one chunk are judged on this).
/// </summary>
public sealed class ChunkWrites
{
    // As the log had it when the chunk began, and from this chunk's records applied so far.
    private readonly Dictionary<string, DateTimeOffset?> _logged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _applying = new(StringComparer.Ordinal);
    private readonly List<AppliedMark> _applied = [];

    /// <summary>The measures of the referrals the chunk's Tasks focus on, locked and read with them.</summary>
    public ChunkMeasurements Measures { get; } = new();

    /// <summary>
    /// What the chunk's records will read of the referrals the chunk's lookup found, in five
    /// statements for all of them: their Tasks locked for the partner's updates and read, the
    /// ServiceRequests they focus on locked for the gateway's follow-ups (a referral completing with
    /// its Task) and read with the Patients, the referrals' measures locked and read, and each Task's
    /// newest status time.
    /// </summary>
    public async Task LoadAsync(ResourceWriter writer, IReadOnlyCollection<string> taskIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (taskIds.Count == 0)
        {
            return;
        }

        var tasks = await writer.HoldForUpdateAsync("Task", taskIds, ct);
        var pointedAt = tasks.Select(t => t.Resource).OfType<Hl7.Fhir.Model.Task>()
            .SelectMany(t => new[] { t.Focus?.Reference, t.For?.Reference }).OfType<string>()
            .Select(reference => reference.Split('/')).Where(parts => parts.Length == 2).Select(parts => (Type: parts[0], Id: parts[1])).ToList();
        var requestIds = pointedAt.Where(r => r.Type == "ServiceRequest").Select(r => r.Id).Distinct(StringComparer.Ordinal).ToList();
        // Locked after the Tasks, as a Task's follow-up locks its ServiceRequest, so the order is the single path's.
        var requests = await writer.AsGateway().HoldForUpdateAsync("ServiceRequest", requestIds, ct);
        await writer.HoldForReadAsync(pointedAt.Where(r => r.Type != "ServiceRequest").ToList(), ct);
        await Measures.LoadAsync(writer, [.. requests.Select(r => r.Id)], ct);
        await using var command = writer.Command();
        var found = await RecordLog.LatestStatusesAsync(command, taskIds, ct);
        foreach (var id in taskIds)
        {
            _logged[id] = found.TryGetValue(id, out var latest) ? latest : null;
        }
    }

    /// <summary>The newest status time an applied record gave the Task, this chunk's records included.</summary>
    public async Task<DateTimeOffset?> LatestStatusAsync(ResourceWriter writer, string taskId, CancellationToken ct)
    {
        if (!_logged.TryGetValue(taskId, out var logged))
        {
            // A Task the chunk's lookup did not find (linked by the searches): asked alone, then kept.
            await using var command = writer.Command();
            _logged[taskId] = logged = await RecordLog.LatestStatusAsync(command, taskId, ct);
        }

        return _applying.TryGetValue(taskId, out var applying) && (logged is null || applying > logged) ? applying : logged;
    }

    /// <summary>A record applied: to be marked with the rest, and its status time counted for its Task.</summary>
    public void Applied(string recordId, AppliedRecord result)
    {
        _applied.Add(new AppliedMark(recordId, result.Produced, result.TaskId, result.StatusChangedAt));
        if (result.TaskId is { } taskId && result.StatusChangedAt is { } at && (!_applying.TryGetValue(taskId, out var applying) || at > applying))
        {
            _applying[taskId] = at;
        }
    }

    /// <summary>Marks every record applied so far, in the chunk's transaction.</summary>
    public async Task MarkAppliedAsync(ResourceWriter writer, CancellationToken ct)
    {
        await using var command = writer.Command();
        await RecordLog.MarkAppliedManyAsync(command, _applied, writer.Now, ct);
        _applied.Clear();
    }
}
