using System.Text.Json;
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
    /// JSON records: housing-case/v1 by the referral's <c>gatewayTaskId</c> or its
    /// <c>serviceRequestIdentifier</c>. Null (the chunk runs alone) for a chunk with another
    /// format (a housing-referral/v1 record makes a referral and may match a patient another chunk
    /// makes) or one that names referrals both ways.
    /// </summary>
    public static ChunksInFlight.Referrals? Records(IEnumerable<(string Format, string Body)> records)
    {
        var namings = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (format, body) in records)
        {
            if (format != HousingCaseMapper.Format)
            {
                return null;
            }

            if (HousingCaseReferral(body) is { } named)
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

    private static (string Naming, string Key)? HousingCaseReferral(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("referral", out var referral)
                || referral.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (referral.TryGetProperty("gatewayTaskId", out var task) && task.ValueKind == JsonValueKind.String)
            {
                return ("gatewayTaskId", task.GetString()!.Trim());
            }

            if (referral.TryGetProperty("serviceRequestIdentifier", out var identifier) && identifier.ValueKind == JsonValueKind.Object)
            {
                return ("serviceRequestIdentifier", $"{Text(identifier, "system")}|{Text(identifier, "value")}");
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : null;
}
