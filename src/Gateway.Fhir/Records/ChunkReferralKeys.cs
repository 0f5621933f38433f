using Gateway.Mapping.HousingCase;
using Gateway.Mapping.WorExport;

namespace Gateway.Fhir.Records;

/// <summary>
/// The referrals a chunk's records name, read from the records as they came in (before any
/// lookup), for <see cref="ChunksInFlight"/> to keep two chunks of one referral apart. Compared
/// loosely (trimmed, any case), so a near match counts as the same referral; a record naming none
/// cannot be linked and changes no referral.
/// </summary>
internal static class ChunkReferralKeys
{
    /// <summary>wor-export/v1 rows: by <c>verwijzing_id</c>.</summary>
    public static ChunksInFlight.Referrals Rows(IEnumerable<WorExportRow> rows) =>
        new(WorExportColumns.VerwijzingId, rows.Select(r => r.Fields.GetValueOrDefault(WorExportColumns.VerwijzingId)?.Trim())
            .OfType<string>().Where(v => v.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// JSON records, by the referral their envelope read (<see cref="RecordEnvelope.Referral"/>, so
    /// no record is parsed again here): housing-case/v1 by the referral's <c>gatewayTaskId</c> or
    /// its <c>serviceRequestIdentifier</c>. Null (the chunk runs alone) for a chunk with another
    /// format (a housing-referral/v1 record makes a referral and may match a patient another chunk
    /// makes) or one that names referrals both ways.
    /// </summary>
    public static ChunksInFlight.Referrals? Records(IEnumerable<RecordEnvelope> records)
    {
        var namings = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in records)
        {
            if (record.Format != HousingCaseMapper.Format)
            {
                return null;
            }

            if (record.Referral is { } named)
            {
                namings.Add(named.Naming);
                keys.Add(named.Key);
            }
        }

        return namings.Count switch
        {
            0 => new ChunksInFlight.Referrals("none", keys),
            1 => new ChunksInFlight.Referrals(namings.Single(), keys),
            _ => null,
        };
    }
}
