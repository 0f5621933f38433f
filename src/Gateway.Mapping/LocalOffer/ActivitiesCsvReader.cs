using System.Globalization;
using CsvHelper;

namespace Gateway.Mapping.LocalOffer;

/// <summary>
/// A welfare organisation's activities (its part of the sociale kaart) as <c>welfare-activities/v1</c>:
/// CSV with <c>;</c>, UTF-8 with or without BOM, one activity a row, headers
/// <c>id;naam;categorie;gemeente;adres;postcode;contact;neemt_verwijzingen_aan;wachttijd_dagen</c>
/// (id, name, category code, municipality, street address, postcode, phone or e-mail, ja/nee, expected wait in days).
/// The sending organisation provides every activity of its file.
/// </summary>
public static class ActivitiesCsvReader
{
    public const string Format = "welfare-activities/v1";

    public static readonly IReadOnlyList<string> Columns = ["id", "naam", "categorie", "gemeente", "adres", "postcode", "contact", "neemt_verwijzingen_aan", "wachttijd_dagen"];

    /// <summary>Every row, or the header's problems (then no row is read).</summary>
    public static (IReadOnlyList<DirectoryEntryRead> Rows, IReadOnlyList<RecordIssue> HeaderIssues) Read(TextReader text, string organizationId, string organizationName)
    {
        using var csv = CsvReader.Create(text, new CsvReaderOptions
        {
            Separator = ';',
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            DetectSeparatorHint = false,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
        }, leaveOpen: true);
        csv.ReadHeader();
        if (csv.Headers.Count == 0)
        {
            return ([], [new RecordIssue(RecordIssueCode.Required, "header", $"The file is empty; it starts with the header {string.Join(";", Columns)}.")]);
        }

        var headers = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        var missing = Columns.Where(c => !headers.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return ([], [new RecordIssue(RecordIssueCode.Required, "header", $"The header lacks {string.Join(", ", missing)}; a {Format} file has the columns {string.Join(";", Columns)}.")]);
        }

        var rows = new List<DirectoryEntryRead>();
        var row = 1;
        while (csv.Read())
        {
            row++;
            var fields = Columns.ToDictionary(c => c, c => headers.IndexOf(c) < csv.FieldCount ? csv.GetString(headers.IndexOf(c)).Trim() : "", StringComparer.Ordinal);
            rows.Add(ReadRow(fields, row, organizationId, organizationName));
        }

        return (rows, []);
    }

    private static DirectoryEntryRead ReadRow(Dictionary<string, string> fields, int row, string organizationId, string organizationName)
    {
        var issues = new List<RecordIssue>();
        foreach (var required in new[] { "id", "naam", "categorie" })
        {
            if (fields[required].Length == 0)
            {
                issues.Add(new RecordIssue(RecordIssueCode.Required, $"row {row}, {required}", $"Row {row} has no {required}."));
            }
        }

        bool? accepts = fields["neemt_verwijzingen_aan"].ToLowerInvariant() switch
        {
            "ja" or "yes" or "true" or "1" => true,
            "nee" or "no" or "false" or "0" => false,
            "" => null,
            var other => Invalid<bool>(issues, row, "neemt_verwijzingen_aan", $"'{other}' is not ja or nee."),
        };
        int? wait = null;
        if (fields["wachttijd_dagen"].Length > 0)
        {
            wait = int.TryParse(fields["wachttijd_dagen"], NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days
                : Invalid<int>(issues, row, "wachttijd_dagen", $"'{fields["wachttijd_dagen"]}' is not a whole number of days.");
        }

        if (issues.Count > 0)
        {
            return new DirectoryEntryRead(fields["id"], row, null, issues);
        }

        var contact = fields["contact"];
        var entry = new DirectoryEntry(
            fields["id"],
            fields["naam"],
            null,
            Active: true,
            [new DirectoryCode(Canonicals.SocialPrescribingActivity, fields["categorie"], null)],
            new DirectoryOrganization(organizationId, organizationName),
            fields["adres"].Length + fields["postcode"].Length + fields["gemeente"].Length == 0 ? null
                : new DirectoryLocation("loc-" + fields["id"], fields["naam"], NullIfEmpty(fields["adres"]), NullIfEmpty(fields["gemeente"]), NullIfEmpty(fields["postcode"]), null, null),
            contact.Length == 0 ? [] : [new DirectoryContact(contact.Contains('@', StringComparison.Ordinal) ? "email" : "phone", contact)],
            accepts is null && wait is null ? null : new DirectoryCapacity(accepts ?? true, wait));
        return new DirectoryEntryRead(entry.SourceId, row, entry, []);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static T? Invalid<T>(List<RecordIssue> issues, int row, string column, string message) where T : struct
    {
        issues.Add(new RecordIssue(RecordIssueCode.InvalidValue, $"row {row}, {column}", $"Row {row}, {column}: {message}"));
        return null;
    }
}
