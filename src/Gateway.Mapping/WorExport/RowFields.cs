using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Mapping.WorExport;

/// <summary>Reads a row's fields as values, adding an issue located at row and column for each bad one.</summary>
internal sealed partial class RowFields(WorExportRow row, List<RecordIssue> issues, DateTimeOffset receivedAt)
{
    public WorExportRow Row => row;

    public List<RecordIssue> Issues => issues;

    public string? Optional(string column)
    {
        var value = WorExportRow.Normalise(row[column]);
        return value.Length == 0 ? null : value;
    }

    /// <param name="when">The condition under which it is required, said in the message (" when ...").</param>
    public string? Required(string column, string when = "")
    {
        var value = Optional(column);
        if (value is null)
        {
            issues.Add(new(RecordIssueCode.Required, row.Location(column), $"{column} is empty; it is required{when}."));
        }

        return value;
    }

    public string? Matching(string column, Regex pattern, string expected, bool required)
    {
        var value = required ? Required(column) : Optional(column);
        if (value is null || pattern.IsMatch(value))
        {
            return value;
        }

        issues.Add(new(RecordIssueCode.InvalidFormat, row.Location(column), $"'{value}' is not valid here; expected {expected}."));
        return null;
    }

    public DateOnly? Date(string column, bool required, string when = "")
    {
        var value = required ? Required(column, when) : Optional(column);
        return value is null ? null : RecordValues.Date(value, "dd-MM-yyyy", row.Location(column), receivedAt, issues);
    }

    /// <summary>A score 0–10; the export may write decimals with a comma (3,5) or a point.</summary>
    public decimal? Score(string column, string when = "")
    {
        var value = Required(column, when);
        if (value is null)
        {
            return null;
        }

        if (!Decimal().IsMatch(value))
        {
            issues.Add(new(RecordIssueCode.InvalidFormat, row.Location(column), $"'{value}' is not a number; expected a score from 0 to 10, decimals after a comma (3,5)."));
            return null;
        }

        var number = decimal.Parse(value.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return RecordValues.Score(number, value, row.Location(column), issues);
    }

    /// <summary>toestemming_delen: ja or nee.</summary>
    public bool? Consent()
    {
        var value = Required(WorExportColumns.ToestemmingDelen);
        switch (value)
        {
            case null:
                return null;
            case "ja":
                return true;
            case "nee":
                return false;
            default:
                issues.Add(new(RecordIssueCode.InvalidValue, row.Location(WorExportColumns.ToestemmingDelen), $"'{value}' is not ja or nee."));
                return null;
        }
    }

    [GeneratedRegex(@"^-?[0-9]+([.,][0-9]+)?$")]
    private static partial Regex Decimal();
}
