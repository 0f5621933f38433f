using Gateway.Fhir.Access;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Telemetry;
using Gateway.Fhir.Validation.Profiles;
using Gateway.Mapping;
using Gateway.Mapping.HousingCase;
using Gateway.Mapping.HousingReferral;
using Gateway.Mapping.WorExport;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Records;

/// <summary>
/// Partner record processing (SPEC §6), the same for the record API, batch uploads, pulls and drop
/// folders: each record is stored raw first (committed, so nothing accepted is lost), then mapped
/// and applied in one database transaction as the partner, with the same workflow rules as the FHIR
/// API; the record's state is written in that same transaction, so it is applied exactly once.
/// A record already applied is a replay: "unchanged", nothing touched. A rejected one keeps its
/// reasons and can be sent again or replayed.
/// </summary>
public sealed partial class RecordProcessor(RecordLog log, ResourceStore store, RecordMappers mappers, PartnerDirectory partners, ProfileValidator validator, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<RecordLimits> limits)
{
    public const string RecordIdSystem = GatewayGuide.CanonicalBase + "/NamingSystem/partner-record";

    /// <summary>
    /// One JSON record (housing-case/v1, housing-referral/v1), its format named in it: stored, then
    /// applied with the same caller's records that arrive at the same time (<see cref="ArrivingAsync"/>).
    /// </summary>
    public Task<RecordReport> ReceiveJsonAsync(CallingPartner caller, string json, string source, CancellationToken ct)
    {
        var incoming = JsonIncoming(json);
        return incoming.Refused is { } refused ? Task.FromResult(Counted(refused)) : ArrivingAsync(caller, incoming, source, ct);
    }

    /// <summary>
    /// A wor-export/v1 file, row by row as it streams in, applied a chunk at a time
    /// (<see cref="RecordLimits.ChunkRows"/>): one report per row, in the file's order. A file whose
    /// header is wrong is refused whole (<see cref="RecordFileException"/>) before any row is stored.
    /// </summary>
    public async IAsyncEnumerable<RecordReport> ReceiveCsvAsync(CallingPartner caller, Stream file, string source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var reader = WorExportCsvReader.Open(file, limits.Value.MaxRecordBytes);
        var header = await reader.ReadHeaderAsync(ct);
        if (header.Count > 0)
        {
            throw new RecordFileException(header);
        }

        await foreach (var report in ApplyInChunksAsync(caller, CsvIncomingAsync(reader, ct), source, Guid.NewGuid().ToString(), ct))
        {
            yield return report;
        }
    }

    /// <summary>A wor-export file's rows past its header, each to store or refused before it is stored.</summary>
    private async IAsyncEnumerable<Incoming> CsvIncomingAsync(WorExportCsvReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var rows = reader.ReadRowsAsync(ct).GetAsyncEnumerator(ct);
        for (var rowNumber = 1; ; rowNumber++)
        {
            bool more;
            var tooLong = false;
            try
            {
                more = await rows.MoveNextAsync();
            }
            catch (CsvHelper.CsvFormatException)
            {
                more = false;
                tooLong = true;
            }

            if (tooLong)
            {
                // A row longer than the limit (or an unclosed quote running on): the rest of the file cannot be read row by row.
                yield return Incoming.NotKept(NotKept(WorExportCsvReader.Format, rowNumber, new RecordIssue(RecordIssueCode.OutOfRange, $"row {rowNumber}",
                    $"The row is longer than the {limits.Value.MaxRecordBytes} bytes this gateway takes in one row (or a quote is never closed); it and the rows after it were not read."), 413));
            }

            if (!more)
            {
                yield break;
            }

            var row = rows.Current;
            rowNumber = row.RowNumber;
            yield return RecordText.CheckFields(row.Fields, row.RowNumber, limits.Value) is { } tooLongField
                ? Incoming.NotKept(NotKept(WorExportCsvReader.Format, row.RowNumber, tooLongField, 422))
                : new Incoming(new NewRecord(WorExportCsvReader.Format, CsvRowRecord.Key(row), CsvRowRecord.Body(row), row.RowNumber), row, null, null);
        }
    }

    private static ChunksInFlight.Referrals? Referrals(List<Incoming> chunk) =>
        chunk.Any(i => i.Envelope is not null)
            ? ChunkReferralKeys.Records(chunk.Select(i => i.Envelope).OfType<RecordEnvelope>())
            : ChunkReferralKeys.Rows(chunk.Select(i => i.Row).OfType<WorExportRow>());

    /// <summary>Processes a stored record again (after a fix on the gateway's side, or of the partner's data it links to).</summary>
    public async Task<RecordReport> ReplayAsync(CallingPartner caller, ReceivedRecord record, CancellationToken ct) =>
        Counted(record.State == RecordState.Applied ? Unchanged(record)
            : await ProcessAsync(caller, record, null, record.Format == WorExportCsvReader.Format ? null : RecordEnvelope.Read(record.Body), ct));

    private static RecordReport Counted(RecordReport report)
    {
        GatewayTelemetry.RecordProcessed(report.Format, report.Outcome);
        return report;
    }

    /// <param name="envelope">A JSON record's envelope, as read when it was received (null for a CSV row).</param>
    private async Task<RecordReport> ProcessAsync(CallingPartner caller, ReceivedRecord record, WorExportRow? row, RecordEnvelope? envelope, CancellationToken ct)
    {
        try
        {
            CheckSender(caller, record, envelope);
            var applied = await store.WriteAsync(async writer =>
            {
                await using (var lockRow = writer.Command())
                {
                    if (await RecordLog.LockAsync(lockRow, record.RecordId, ct) == RecordState.Applied)
                    {
                        return null;
                    }
                }

                var result = await ApplyAsync(writer, caller, record, row, ct);
                await writer.AsGateway().CreateAsync(Provenance(writer, record, result), ct);
                await using var mark = writer.Command();
                await RecordLog.MarkAppliedAsync(mark, record.RecordId, result.Produced, result.TaskId, result.StatusChangedAt, writer.Now, ct);
                return (AppliedRecord?)result;
            }, ct, caller);
            if (applied is null)
            {
                return await UnchangedAsync(record, ct);
            }

            return new RecordReport(record.RecordId, record.Format, record.RecordKey, record.RowNumber, RecordReport.Accepted, [], applied.Produced, applied.Note);
        }
        catch (RecordRejectedException rejected)
        {
            return await RejectAsync(record, rejected.Issues, ct);
        }
        catch (FhirException refused)
        {
            return await RejectAsync(record, RecordIssues.From(refused), ct);
        }
    }

    /// <param name="known">The referrals a chunk's records name, looked up for the whole chunk (null: alone, by the linker's searches).</param>
    /// <param name="services">The directory services a chunk's records name (null: looked up for this record alone).</param>
    /// <param name="chunk">What the chunk keeps for all its records (null: alone).</param>
    /// <param name="mapped">The record as the chunk mapped it with <paramref name="services"/> (null: mapped here).</param>
    private async Task<AppliedRecord> ApplyAsync(ResourceWriter writer, CallingPartner caller, ReceivedRecord record, WorExportRow? row, CancellationToken ct,
        ChunkReferrals? known = null, TakenUpServices? services = null, ChunkWrites? chunk = null, MappingResult<ReferralUpdate>? mapped = null)
    {
        switch (record.Format)
        {
            case HousingCaseMapper.Format:
                services ??= await TakenUpServices.FindAsync(writer, HousingCaseMapper.ServiceKeys(record.Body), caller, ct);
                return await ApplyUpdateAsync(writer, caller, Accepted(mapped ?? mappers.HousingCase.Map(record.Body, record.ReceivedAt, services: services.Lookup)),
                    RecordFields.HousingCase, known, chunk, ct);
            case WorExportCsvReader.Format:
                row ??= CsvRowRecord.Row(record.Body);
                services ??= await TakenUpServices.FindAsync(writer, WorExportMapper.ServiceKeys(row), caller, ct);
                return await ApplyUpdateAsync(writer, caller, Accepted(mapped ?? mappers.WorExport.Map(row, record.ReceivedAt, services: services.Lookup)),
                    RecordFields.WorExportRow(record.RowNumber ?? 0), known, chunk, ct);
            case HousingReferralMapper.Format:
                return await HousingReferralApplier.ApplyAsync(writer, Accepted(HousingReferralMapper.Map(record.Body, record.ReceivedAt)), partners, validator, ct);
            default:
                throw new RecordRejectedException([UnknownFormat(record)]);
        }
    }

    private static RecordIssue UnknownFormat(ReceivedRecord record)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(record.Body);
        }
        catch (System.Text.Json.JsonException malformed)
        {
            return new RecordIssue(RecordIssueCode.InvalidFormat, "$",
                $"The record is not valid JSON (line {malformed.LineNumber + 1}, byte {malformed.BytePositionInLine + 1}): {malformed.Message}");
        }

        return new RecordIssue(record.Format == RecordEnvelope.UnknownFormat ? RecordIssueCode.Required : RecordIssueCode.InvalidValue, "$.format",
            $"'{record.Format}' is not a record format of this gateway; the record's format field names one of {string.Join(", ", RecordMappers.SentBy.Keys)}.");
    }

    private async Task<AppliedRecord> ApplyUpdateAsync(ResourceWriter writer, CallingPartner caller, ReferralUpdate update, RecordFields fields, ChunkReferrals? known,
        ChunkWrites? chunk, CancellationToken ct)
    {
        var (referral, issues) = await ReferralLinker.LinkAsync(writer, update.Referral, caller.PartnerId, partners, fields, ct, known);
        return referral is null ? throw new RecordRejectedException(issues) : await ReferralUpdateApplier.ApplyAsync(writer, update, referral, validator, ct, chunk);
    }

    private static T Accepted<T>(MappingResult<T> result) where T : class =>
        result.Value ?? throw new RecordRejectedException(result.Issues);

    private static void CheckSender(CallingPartner caller, ReceivedRecord record, RecordEnvelope? envelope)
    {
        if (RecordMappers.SentBy.TryGetValue(record.Format, out var kind) && kind != caller.Kind)
        {
            throw new RecordRejectedException([new RecordIssue(RecordIssueCode.NotAllowed, "$.format", $"{record.Format} records come from a {kind}; {caller.PartnerId} is a {caller.Kind}.")]);
        }

        if (envelope?.Provider is { } provider && provider != caller.PartnerId)
        {
            throw new RecordRejectedException([new RecordIssue(RecordIssueCode.NotAllowed, "$.provider",
                $"The record says it comes from '{provider}', but the client sending it belongs to '{caller.PartnerId}'.")]);
        }
    }

    private static Provenance Provenance(ResourceWriter writer, ReceivedRecord record, AppliedRecord applied)
    {
        var provenance = ProvenanceBuilder.Build(applied.Produced, created: false,
            $"Applied {record.Format} record {record.RecordKey} from {record.PartnerId}." + (applied.Note is null ? "" : " " + applied.Note),
            writer.OnBehalfOf, [], writer.Now, component: "partner-records");
        provenance.Entity.Add(new Provenance.EntityComponent
        {
            Role = Hl7.Fhir.Model.Provenance.ProvenanceEntityRole.Source,
            What = new ResourceReference { Identifier = new Identifier(RecordIdSystem, record.RecordId), Display = $"{record.Format} record, GET /records/{record.RecordId}" },
        });
        return provenance;
    }

    private async Task<RecordReport> RejectAsync(ReceivedRecord record, IReadOnlyList<RecordIssue> issues, CancellationToken ct)
    {
        if (!await log.MarkRejectedAsync(record.RecordId, issues, clock.GetUtcNow(), ct))
        {
            return await UnchangedAsync(record, ct);
        }

        return new RecordReport(record.RecordId, record.Format, record.RecordKey, record.RowNumber, RecordReport.Rejected, issues, []);
    }

    /// <summary>A copy that met the record applied by a concurrent one: answered as a replay, with what the first produced.</summary>
    private async Task<RecordReport> UnchangedAsync(ReceivedRecord record, CancellationToken ct) =>
        Unchanged(await log.GetAsync(record.RecordId, ct) ?? record);

    /// <summary>A record refused before it was stored (<see cref="RecordText"/>): nothing kept, so no record id.</summary>
    private static RecordReport NotKept(string format, int? row, RecordIssue issue, int status) =>
        new("", format, "", row, RecordReport.Rejected, [issue], [], "Not kept: send it again once it is within the limits.", status);

    private static RecordReport Unchanged(ReceivedRecord record) =>
        new(record.RecordId, record.Format, record.RecordKey, record.RowNumber, RecordReport.Unchanged, [], record.Produced, "Already applied; this copy changed nothing.");
}

/// <summary>A record that cannot be applied, with every reason; nothing of it was written.</summary>
public sealed class RecordRejectedException(IReadOnlyList<RecordIssue> issues) : Exception(string.Join("; ", issues))
{
    public IReadOnlyList<RecordIssue> Issues { get; } = issues;
}

/// <summary>A batch file refused whole (its header), before any row was stored.</summary>
public sealed class RecordFileException(IReadOnlyList<RecordIssue> issues) : Exception(string.Join("; ", issues))
{
    public IReadOnlyList<RecordIssue> Issues { get; } = issues;
}
