using System.Text.Json;
using Gateway.Mapping.WorExport;

namespace Gateway.Fhir.Records;

/// <summary>
/// A wor-export/v1 row as the gateway keeps it: its fields by column, with its row and line
/// number and content hash, so a replay maps exactly what was received.
/// </summary>
public static class CsvRowRecord
{
    /// <summary>SPEC §6: a row's key is its content hash plus the referral it names.</summary>
    public static string Key(WorExportRow row) =>
        $"{row.ContentHash}|{row.Fields.GetValueOrDefault(WorExportColumns.VerwijzingId)}";

    public static string Body(WorExportRow row) =>
        JsonSerializer.Serialize(new Stored(row.RowNumber, row.LineNumber, row.ContentHash, row.Fields.ToDictionary()));

    public static WorExportRow Row(string body)
    {
        var stored = JsonSerializer.Deserialize<Stored>(body) ?? throw new InvalidOperationException("A stored wor-export row is empty.");
        return new WorExportRow(stored.Row, stored.Line, stored.Hash, stored.Fields, []);
    }

    private sealed record Stored(int Row, int Line, string Hash, Dictionary<string, string> Fields);
}
