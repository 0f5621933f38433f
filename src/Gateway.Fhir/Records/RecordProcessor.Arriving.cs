using System.Collections.Concurrent;
using Gateway.Fhir.Access;

namespace Gateway.Fhir.Records;

/// <summary>
/// Single JSON records (<c>POST /records</c>, issue 18): each is stored raw as it comes (committed,
/// so nothing accepted is lost), then applied with the same caller's records that arrive at the
/// same time, through the chunk path (<see cref="ArrivingTogether{TItem, TResult}"/>): one
/// transaction for the lot instead of one each, and each answered with the report it would get
/// alone. A record that arrives alone is applied at once, as a chunk of one (the row-at-a-time
/// path). One whose request gives up before its group is taken stays stored and <c>received</c>.
/// </summary>
public sealed partial class RecordProcessor
{
    // One queue per caller: the client, its partner and its token's scopes (every access check in a
    // chunk's transaction is the caller's), and the source the raw rows are stored under.
    private readonly ConcurrentDictionary<(string ClientId, string PartnerId, string Kind, string Scopes, string Source), ArrivingTogether<StoredIncoming, RecordReport>> _arriving = new();

    /// <summary>Single records stored and waiting for the applier to take them (for operators' and tests' eyes).</summary>
    public int SingleRecordsWaiting => _arriving.Values.Sum(a => a.Waiting);

    /// <summary>A single record as it came in, and as it was stored.</summary>
    private sealed record StoredIncoming(Incoming Incoming, ReceivedRecord Record);

    private async Task<RecordReport> ArrivingAsync(CallingPartner caller, Incoming incoming, string source, CancellationToken ct)
    {
        var toStore = incoming.ToStore!;
        var record = (await log.StoreManyAsync(caller.PartnerId, [toStore], source, null, clock.GetUtcNow(), ct))[(toStore.Format, toStore.Key)];
        if (record.State == RecordState.Applied)
        {
            return Counted(Unchanged(record));
        }

        var arriving = _arriving.GetOrAdd((caller.ClientId, caller.PartnerId, caller.Kind, caller.Scopes.Canonical, source), _ => new ArrivingTogether<StoredIncoming, RecordReport>(
            group => ApplyGroupAsync(caller, group),
            async one => (await ApplyStoredAsync(caller, [one.Incoming], Stored([one]), CancellationToken.None))[0],
            limits.Value.ChunkRows));
        return await arriving.ApplyAsync(new StoredIncoming(incoming, record), ct);
    }

    // Each record's report, or the exception it met applied alone after the group's transaction
    // committed the others: those others answer with what was done (accepted), not as a resend would.
    private async Task<List<Task<RecordReport>>> ApplyGroupAsync(CallingPartner caller, List<StoredIncoming> group)
    {
        var failures = new Dictionary<string, Exception>(StringComparer.Ordinal);
        var reports = await ApplyStoredAsync(caller, group.ConvertAll(g => g.Incoming), Stored(group), CancellationToken.None, failures);
        return [.. group.Select((item, i) => failures.TryGetValue(item.Record.RecordId, out var failed)
            ? Task.FromException<RecordReport>(failed) : Task.FromResult(reports[i]))];
    }

    // Copies of one record in a group were stored as one row.
    private static Dictionary<(string Format, string Key), ReceivedRecord> Stored(List<StoredIncoming> group)
    {
        var stored = new Dictionary<(string Format, string Key), ReceivedRecord>();
        foreach (var item in group)
        {
            stored.TryAdd((item.Incoming.ToStore!.Format, item.Incoming.ToStore.Key), item.Record);
        }

        return stored;
    }
}
