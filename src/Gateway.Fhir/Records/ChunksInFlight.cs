namespace Gateway.Fhir.Records;

/// <summary>
/// The chunks of one file applied side by side, each in its own transaction on its own
/// connection, so a file uses more than one PostgreSQL backend (one backend applying chunk after
/// chunk was the 100,000-row file's limit: it kept one core busy and left the other half idle).
/// Reports still come out in the file's order, and a chunk that names a referral a chunk still in
/// flight names waits for it, so one referral's rows are applied in the file's order as the
/// one-chunk-at-a-time path applies them. Two chunks that name referrals in different ways (a Task
/// id and a GP's identifier may be one referral) cannot tell, so one waits for the other; a chunk
/// whose referrals are not known (null) runs alone.
/// </summary>
internal sealed class ChunksInFlight(int limit) : IAsyncDisposable
{
    /// <summary>The referrals a chunk names, all in one <paramref name="Naming"/> (<c>verwijzing_id</c>, <c>gatewayTaskId</c>, …).</summary>
    public sealed record Referrals(string Naming, IReadOnlySet<string> Keys);

    private readonly Queue<(Task<List<RecordReport>> Work, Referrals? Referrals)> _running = new();

    /// <summary>
    /// Starts <paramref name="apply"/> once it may run beside the chunks in flight; gives the
    /// reports of those that had to finish first, oldest first.
    /// </summary>
    public async Task<List<RecordReport>> StartAsync(Func<Task<List<RecordReport>>> apply, Referrals? referrals)
    {
        var finished = new List<RecordReport>();
        while (_running.Count >= limit || _running.Any(r => Overlap(r.Referrals, referrals)))
        {
            // Oldest first, so reports keep the file's order even when a later chunk is the one in the way.
            finished.AddRange(await _running.Dequeue().Work);
        }

        _running.Enqueue((apply(), referrals));
        return finished;
    }

    /// <summary>The reports of every chunk still in flight, oldest first.</summary>
    public async Task<List<RecordReport>> FinishAsync()
    {
        var finished = new List<RecordReport>();
        while (_running.Count > 0)
        {
            finished.AddRange(await _running.Dequeue().Work);
        }

        return finished;
    }

    /// <summary>A file given up half way (its reader failed, the client went away) still waits for the chunks it started.</summary>
    public async ValueTask DisposeAsync()
    {
        while (_running.TryDequeue(out var chunk))
        {
            try
            {
                await chunk.Work;
            }
            catch (Exception)
            {
                // The chunk's own failure is not this file's to report once the file has failed; its rows stay stored and pending.
            }
        }
    }

    private static bool Overlap(Referrals? running, Referrals? next) =>
        running is null || next is null || running.Naming != next.Naming || running.Keys.Overlaps(next.Keys);
}
