using System.Globalization;
using System.Text.RegularExpressions;
using System.Numerics;

namespace Gateway.Mapping;

/// <summary>Checks of single values shared by the formats; each adds an issue and returns null when the value is bad.</summary>
internal static partial class RecordValues
{
    // How much a partner's clock may run ahead of ours before a timestamp counts as in the future.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>A calendar date in <paramref name="format"/> (yyyy-MM-dd or dd-MM-yyyy), not after the day the record was received.</summary>
    public static DateOnly? Date(string text, string format, string location, DateTimeOffset receivedAt, ICollection<RecordIssue> issues)
    {
        if (!DateShape(format).IsMatch(text))
        {
            issues.Add(new(RecordIssueCode.InvalidFormat, location, $"'{text}' is not a date written {format}."));
            return null;
        }

        if (!DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            issues.Add(new(RecordIssueCode.InvalidValue, location, $"'{text}' is not a calendar date; expected a real date written {format}."));
            return null;
        }

        // A date-only value is 'in the future' only when it is after the receiving day everywhere on earth.
        if (date > DateOnly.FromDateTime(receivedAt.UtcDateTime).AddDays(1))
        {
            issues.Add(new(RecordIssueCode.OutOfRange, location, $"{text} is in the future; expected a date on or before the day the record was sent."));
            return null;
        }

        return date;
    }

    /// <summary>An ISO 8601 date and time with an explicit offset (or Z), not after the record was received.</summary>
    public static DateTimeOffset? Instant(string text, string location, DateTimeOffset receivedAt, ICollection<RecordIssue> issues)
    {
        if (!DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            issues.Add(new(RecordIssueCode.InvalidFormat, location, $"'{text}' is not an ISO 8601 date and time with an offset; expected e.g. 2026-10-01T09:30:00+01:00."));
            return null;
        }

        if (instant > receivedAt + ClockSkew)
        {
            issues.Add(new(RecordIssueCode.OutOfRange, location, $"{text} is in the future; expected the time the record describes, no later than when it was sent."));
            return null;
        }

        return instant;
    }

    public static string? NhsNumber(string text, string location, ICollection<RecordIssue> issues)
    {
        if (!Identifiers.NhsNumber.IsTenDigits(text))
        {
            issues.Add(new(RecordIssueCode.InvalidFormat, location, $"'{text}' is not an NHS number; expected 10 digits without spaces."));
            return null;
        }

        if (!Identifiers.NhsNumber.HasValidCheckDigit(text))
        {
            issues.Add(new(RecordIssueCode.CheckDigit, location, $"{text} fails the NHS number's modulus-11 check digit; check the number for a typing error."));
            return null;
        }

        return text;
    }

    /// <summary>A score from 0 to 10.</summary>
    public static T? Score<T>(T value, string text, string location, ICollection<RecordIssue> issues)
        where T : struct, INumber<T>
    {
        if (value < T.Zero || value > T.CreateChecked(10))
        {
            issues.Add(new(RecordIssueCode.OutOfRange, location, $"{text} is out of range; expected a score from 0 to 10."));
            return null;
        }

        return value;
    }

    private static Regex DateShape(string format) => format switch
    {
        "yyyy-MM-dd" => IsoDateShape(),
        "dd-MM-yyyy" => DutchDateShape(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex IsoDateShape();

    [GeneratedRegex(@"^\d{2}-\d{2}-\d{4}$")]
    private static partial Regex DutchDateShape();
}
