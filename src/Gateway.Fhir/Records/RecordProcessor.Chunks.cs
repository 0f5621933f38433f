using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Mapping;
using Gateway.Mapping.HousingCase;
using Gateway.Mapping.LocalOffer;
using Gateway.Mapping.WorExport;

namespace Gateway.Fhir.Records;

/// <summary>
/// The chunked path every source shares (issue 18): a chunk's records are stored raw in one
/// committed statement, then applied together in one transaction, each exactly as
/// <see cref="ProcessAsync"/> applies one alone (the same mapping, linking, workflow rules,
/// Provenance, follow-ups and notifications). A record refused before it wrote anything is set
/// aside and the chunk goes on; one that fails after writing rolls the chunk back, which is tried
/// again without it. Every record set aside is then processed alone, so its report is exactly the
/// one the row-at-a-time path gives.
/// </summary>
public sealed partial class RecordProcessor
{
    // A chunk whose records keep failing after they wrote is not retried for ever: the rest go alone.
    private const int MaxChunkAttempts = 4;

    /// <summary>
    /// JSON records (housing-case/v1, housing-referral/v1) of a batch, a drop folder file or a pull's
    /// page, applied a chunk at a time: one report per record, in order.
    /// </summary>
    public IAsyncEnumerable<RecordReport> ReceiveJsonManyAsync(CallingPartner caller, IEnumerable<string> records, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        return ApplyInChunksAsync(caller, records.Select(JsonIncoming).ToAsyncEnumerable(), source, null, ct);
    }

    /// <summary>
    /// The one chunk loop every source feeds: fills a chunk of <see cref="RecordLimits.ChunkRows"/>
    /// records as they come, applies up to <see cref="RecordLimits.ChunksAtOnce"/> chunks side by
    /// side (<see cref="ChunksInFlight"/>), and gives one report per record, in the order they came.
    /// </summary>
    private async IAsyncEnumerable<RecordReport> ApplyInChunksAsync(CallingPartner caller, IAsyncEnumerable<Incoming> incoming, string source, string? batchId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var chunk = new List<Incoming>(limits.Value.ChunkRows);
        await using var inFlight = new ChunksInFlight(limits.Value.ChunksAtOnce);
        await foreach (var item in incoming.WithCancellation(ct))
        {
            chunk.Add(item);
            if (chunk.Count >= limits.Value.ChunkRows)
            {
                var full = chunk;
                chunk = new List<Incoming>(limits.Value.ChunkRows);
                foreach (var report in await inFlight.StartAsync(() => ProcessChunkAsync(caller, full, source, batchId, ct), Referrals(full)))
                {
                    yield return report;
                }
            }
        }

        foreach (var report in await inFlight.StartAsync(() => ProcessChunkAsync(caller, chunk, source, batchId, ct), Referrals(chunk)))
        {
            yield return report;
        }

        foreach (var report in await inFlight.FinishAsync())
        {
            yield return report;
        }
    }

    /// <summary>A record as it came in: to be stored (with the parsed row or envelope), or refused before it was stored.</summary>
    private sealed record Incoming(NewRecord? ToStore, WorExportRow? Row, RecordEnvelope? Envelope, RecordReport? Refused)
    {
        public static Incoming NotKept(RecordReport refused) => new(null, null, null, refused);
    }

    /// <summary>A stored record still to apply, with what was read of it when it came in.</summary>
    private sealed record Pending(ReceivedRecord Record, WorExportRow? Row, RecordEnvelope? Envelope);

    private Incoming JsonIncoming(string json)
    {
        if (RecordText.CheckJson(json, limits.Value) is { } refused)
        {
            return Incoming.NotKept(NotKept(RecordEnvelope.UnknownFormat, null, refused.Issue, refused.Status));
        }

        var envelope = RecordEnvelope.Read(json);
        return new Incoming(new NewRecord(envelope.Format, envelope.Key, json, null), null, envelope, null);
    }

    private async Task<List<RecordReport>> ProcessChunkAsync(CallingPartner caller, List<Incoming> chunk, string source, string? batchId, CancellationToken ct) =>
        await ApplyStoredAsync(caller, chunk,
            await log.StoreManyAsync(caller.PartnerId, [.. chunk.Where(i => i.ToStore is not null).Select(i => i.ToStore!)], source, batchId, clock.GetUtcNow(), ct), ct);

    /// <param name="stored">Every record of <paramref name="chunk"/> to store, as stored.</param>
    /// <param name="failures">Where given, a record that throws applied alone is put there by record id (its report is then
    /// meaningless) and the others are still applied; else the first such exception is thrown.</param>
    private async Task<List<RecordReport>> ApplyStoredAsync(CallingPartner caller, List<Incoming> chunk, IReadOnlyDictionary<(string Format, string Key), ReceivedRecord> stored,
        CancellationToken ct, Dictionary<string, Exception>? failures = null)
    {
        var pending = new List<Pending>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in chunk)
        {
            if (item.ToStore is { } toStore && stored[(toStore.Format, toStore.Key)] is { State: not RecordState.Applied } record && seen.Add(record.RecordId))
            {
                pending.Add(new Pending(record, item.Row, item.Envelope));
            }
        }

        var outcomes = await ApplyChunkAsync(caller, pending, failures, ct);
        var reports = new List<RecordReport>(chunk.Count);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in chunk)
        {
            if (item.ToStore is not { } toStore)
            {
                reports.Add(Counted(item.Refused!));
                continue;
            }

            var record = stored[(toStore.Format, toStore.Key)];
            reports.Add(Counted(
                !outcomes.TryGetValue(record.RecordId, out var outcome) ? Unchanged(record)
                : reported.Add(record.RecordId) ? outcome
                // The same record twice in one chunk: the second copy is answered as the row-at-a-time path answers a resent one.
                : outcome.Outcome == RecordReport.Rejected ? outcome with { RowNumber = toStore.Row }
                : Unchanged(record with { Produced = outcome.Produced })));
        }

        return reports;
    }

    /// <summary>The report of each pending record, by record id.</summary>
    private async Task<Dictionary<string, RecordReport>> ApplyChunkAsync(CallingPartner caller, List<Pending> pending,
        Dictionary<string, Exception>? failures, CancellationToken ct)
    {
        var outcomes = new Dictionary<string, RecordReport>(StringComparer.Ordinal);
        var alone = new HashSet<Pending>();
        var together = pending;
        for (var attempt = 0; together.Count > 1; attempt++)
        {
            if (attempt == MaxChunkAttempts)
            {
                alone.UnionWith(together);
                break;
            }

            var tried = await TryChunkAsync(caller, together, ct);
            if (tried.Applied is { } applied)
            {
                foreach (var (recordId, report) in applied)
                {
                    outcomes[recordId] = report;
                }

                alone.UnionWith(tried.SetAside);
                together = [];
            }
            else if (tried.Failed is { } failed)
            {
                alone.Add(failed);
                together = together.Where(p => p != failed).ToList();
            }
            else
            {
                // It failed where no single record can be blamed (the follow-ups, the commit): each alone.
                alone.UnionWith(together);
                together = [];
            }
        }

        alone.UnionWith(together);
        foreach (var record in pending.Where(alone.Contains))
        {
            try
            {
                outcomes[record.Record.RecordId] = await ProcessAsync(caller, record.Record, record.Row, record.Envelope, ct);
            }
            catch (Exception failed) when (failures is not null && failed is not OperationCanceledException)
            {
                failures[record.Record.RecordId] = failed;
            }
        }

        return outcomes;
    }

    // A record mapped once for the chunk's attempt: its referral for the chunk's lookup, then the same update applied (a
    // fresh one each attempt, as applying changes it). Null when it does not map: applying maps it again, and refuses it as alone.
    private MappingResult<ReferralUpdate>? Map(Pending pending, TakenUpServices services)
    {
        try
        {
            return pending.Record.Format switch
            {
                HousingCaseMapper.Format => mappers.HousingCase.Map(pending.Record.Body, pending.Record.ReceivedAt, services: services.Lookup),
                WorExportCsvReader.Format => mappers.WorExport.Map(RowOf(pending), pending.Record.ReceivedAt, services: services.Lookup),
                _ => null,
            };
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // The directory services a record names as taken up, for the chunk's one lookup.
    private static IEnumerable<ServiceKey> ServiceKeys(Pending pending)
    {
        try
        {
            return pending.Record.Format switch
            {
                HousingCaseMapper.Format => HousingCaseMapper.ServiceKeys(pending.Record.Body),
                WorExportCsvReader.Format => WorExportMapper.ServiceKeys(RowOf(pending)),
                _ => [],
            };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return [];
        }
    }

    private static WorExportRow RowOf(Pending pending) => pending.Row ?? CsvRowRecord.Row(pending.Record.Body);

    /// <param name="Applied">The chunk committed: the reports of the records it applied (or found applied), by record id.</param>
    /// <param name="SetAside">Records refused before they wrote anything, to be processed alone.</param>
    /// <param name="Failed">The chunk rolled back because of this record.</param>
    private sealed record ChunkAttempt(Dictionary<string, RecordReport>? Applied, List<Pending> SetAside, Pending? Failed);

    private async Task<ChunkAttempt> TryChunkAsync(CallingPartner caller, List<Pending> chunk, CancellationToken ct)
    {
        Pending? current = null;
        var applied = new Dictionary<string, RecordReport>(StringComparer.Ordinal);
        var setAside = new List<Pending>();
        try
        {
            await store.WriteAsync(async writer =>
            {
                IReadOnlyDictionary<string, (RecordState State, IReadOnlyList<string> Produced)> states;
                await using (var lockRows = writer.Command())
                {
                    states = await RecordLog.LockManyAsync(lockRows, [.. chunk.Select(p => p.Record.RecordId)], ct);
                }

                writer.DeferChunkWrites();
                var services = await TakenUpServices.FindAsync(writer, chunk.SelectMany(ServiceKeys), caller, ct);
                var mapped = chunk.ToDictionary(p => p, p => Map(p, services));
                var known = await ChunkReferrals.FindAsync(writer.AsGateway(), mapped.Values.Select(m => m?.Value?.Referral).OfType<ReferralLink>(), caller.PartnerId, partners, ct);
                var writes = new ChunkWrites();
                await writes.LoadAsync(writer, known.TaskIds(), ct);

                foreach (var pending in chunk)
                {
                    var record = pending.Record;
                    if (states[record.RecordId] is { State: RecordState.Applied } done)
                    {
                        // Applied by a concurrent copy since it was stored.
                        applied[record.RecordId] = Unchanged(record with { Produced = done.Produced });
                        continue;
                    }

                    current = pending;
                    var changes = writer.ChangeCount;
                    try
                    {
                        CheckSender(caller, record, pending.Envelope);
                        var result = await ApplyAsync(writer, caller, record, pending.Row, ct, known, services, writes, mapped[pending]);
                        await writer.AsGateway().CreateAsync(Provenance(writer, record, result), ct);
                        writes.Applied(record.RecordId, result);
                        applied[record.RecordId] = new RecordReport(record.RecordId, record.Format, record.RecordKey, record.RowNumber, RecordReport.Accepted, [], result.Produced, result.Note);
                    }
                    catch (Exception refused) when (refused is RecordRejectedException or FhirException && writer.ChangeCount == changes)
                    {
                        // Refused before it wrote anything (its mapping, its referral): the chunk goes on without it.
                        setAside.Add(pending);
                    }
                }

                current = null;
                await writes.MarkAppliedAsync(writer, ct);
                return true;
            }, ct, caller);
            return new ChunkAttempt(applied, setAside, null);
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            return new ChunkAttempt(null, [], current);
        }
    }
}
