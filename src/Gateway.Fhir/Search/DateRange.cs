using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Fhir.Search;

/// <summary>
/// The half-open range [Start, End) a FHIR date, dateTime or instant value stands for: a partial
/// date covers its whole precision (FHIR R4 search.html#date). No time zone means UTC.
/// </summary>
public readonly record struct DateRange(DateTimeOffset Start, DateTimeOffset End)
{
    private static readonly Regex Pattern = new(
        @"^(?<y>\d{4})(-(?<m>\d{2})(-(?<d>\d{2})(T(?<h>\d{2}):(?<min>\d{2})(:(?<s>\d{2})(\.(?<f>\d{1,9}))?)?(?<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromMilliseconds(100));

    public static bool TryParse(string text, out DateRange range)
    {
        range = default;
        var match = Pattern.Match(text);
        if (!match.Success)
        {
            return false;
        }

        try
        {
            int Part(string name, int fallback) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : fallback;
            var offset = match.Groups["tz"].Success && match.Groups["tz"].Value != "Z"
                ? TimeSpan.Parse(match.Groups["tz"].Value.TrimStart('+'), CultureInfo.InvariantCulture)
                : TimeSpan.Zero;
            var start = new DateTimeOffset(Part("y", 1), Part("m", 1), Part("d", 1), Part("h", 0), Part("min", 0), Part("s", 0), offset);
            if (match.Groups["f"].Success)
            {
                var fraction = match.Groups["f"].Value.PadRight(7, '0')[..7];
                start = start.AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
            }

            // A fraction covers its own precision: ".5" is [.5, .6), as the index stores it.
            var end = match.Groups["f"].Success ? start.AddTicks((long)Math.Pow(10, 7 - Math.Min(7, match.Groups["f"].Value.Length)))
                : match.Groups["s"].Success ? start.AddSeconds(1)
                : match.Groups["min"].Success ? start.AddMinutes(1)
                : match.Groups["d"].Success ? start.AddDays(1)
                : match.Groups["m"].Success ? start.AddMonths(1)
                : start.AddYears(1);
            range = new DateRange(start.ToUniversalTime(), end.ToUniversalTime());
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // 2026-02-30 and friends.
            return false;
        }
    }
}
