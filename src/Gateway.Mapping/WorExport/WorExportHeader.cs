namespace Gateway.Mapping.WorExport;

/// <summary>The header line of wor-export/v1: every required column once, an optional one at most once, no other column, and never a BSN.</summary>
internal static class WorExportHeader
{
    public static (int[] ColumnIndexes, IReadOnlyList<RecordIssue> Issues) Check(IReadOnlyList<string> headers)
    {
        var issues = new List<RecordIssue>();
        if (headers.Count == 0 || headers is [""])
        {
            issues.Add(new(RecordIssueCode.Required, "header", $"The file is empty; expected a header line with the columns {string.Join(';', WorExportColumns.All)}."));
            return ([], issues);
        }

        // A BOM that reached us as a character (text read without encoding detection) is not part of the name.
        var names = headers.Select((h, i) => (i == 0 ? h.TrimStart('\uFEFF') : h).Trim()).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (string.Equals(name, WorExportColumns.Bsn, StringComparison.OrdinalIgnoreCase))
            {
                issues.Add(new(RecordIssueCode.NotAllowed, $"header, column {name}", "A welfare organisation may not process the BSN, so wor-export/v1 never carries it: remove the column and export again. Rows name their referral by verwijzing_id."));
            }
            else if (!WorExportColumns.Known.Contains(name))
            {
                issues.Add(new(RecordIssueCode.UnknownField, $"header, column {name}", $"'{name}' is not a column of {WorExportCsvReader.Format}; expected only {string.Join(';', WorExportColumns.All)} and optionally {string.Join(';', WorExportColumns.Optional)}."));
            }
            else if (!seen.Add(name))
            {
                issues.Add(new(RecordIssueCode.InvalidValue, $"header, column {name}", $"The column {name} appears more than once; expected it once."));
            }
        }

        foreach (var missing in WorExportColumns.All.Where(c => !seen.Contains(c)))
        {
            issues.Add(new(RecordIssueCode.Required, $"header, column {missing}", $"The column {missing} is missing from the header; every column of {WorExportCsvReader.Format} is required (leave values empty where they do not apply)."));
        }

        // An optional column the file leaves out has index -1.
        return (WorExportColumns.Known.Select(c => names.IndexOf(c)).ToArray(), issues);
    }
}
