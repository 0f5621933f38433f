using Hl7.Fhir.Model;
using FhirPathDateTime = Hl7.Fhir.ElementModel.Types.DateTime;

namespace Gateway.Fhir.Search.Index;

/// <summary>
/// Date rows per http://hl7.org/fhir/R4/search.html#date: a value stands for the whole range its
/// precision implies ("2026" is all of 2026), stored half-open in UTC.
/// </summary>
internal static class DateValues
{
    // A date or a partial dateTime carries no time zone (a dateTime with a time must have one,
    // http://hl7.org/fhir/R4/datatypes.html#dateTime); those are read as UTC.
    private static readonly TimeSpan AssumedOffset = TimeSpan.Zero;

    public static void Index(string param, Base value, IndexRowsBuilder rows)
    {
        switch (value)
        {
            case Period period:
                IndexPeriod(param, period, rows);
                break;
            case PrimitiveType primitive when Range(primitive.ToString()) is { } range:
                rows.Add(new DateIndexRow(param, range.Start, range.End));
                break;
        }
    }

    // An open end is unbounded, and an end of date precision covers its whole day
    // (http://hl7.org/fhir/R4/datatypes.html#Period).
    private static void IndexPeriod(string param, Period period, IndexRowsBuilder rows)
    {
        if (period.Start is null && period.End is null)
        {
            return;
        }

        var start = period.Start is null ? DateTimeOffset.MinValue : Range(period.Start)?.Start;
        var end = period.End is null ? DateTimeOffset.MaxValue : Range(period.End)?.End;
        if (start is { } from && end is { } to)
        {
            rows.Add(new DateIndexRow(param, from, to));
        }
    }

    // The ranges of the values seen last: a chunk's resources carry the same few instants (its
    // lastUpdated, recorded, lastModified) over and over, and Firely's parse is a regular
    // expression a value (issue 18, eighth pass: 2.5 % of a wor-export send). Emptied when full.
    private const int RangesKept = 4096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset Start, DateTimeOffset End)?> Ranges = new(StringComparer.Ordinal);
    private static int _rangesAdded;

    private static (DateTimeOffset Start, DateTimeOffset End)? Range(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (Ranges.TryGetValue(value, out var known))
        {
            return known;
        }

        var range = Parse(value);
        if (Interlocked.Increment(ref _rangesAdded) > RangesKept)
        {
            Ranges.Clear();
            Interlocked.Exchange(ref _rangesAdded, 0);
        }

        Ranges[value] = range;
        return range;
    }

    private static (DateTimeOffset Start, DateTimeOffset End)? Parse(string value)
    {
        if (!FhirPathDateTime.TryParse(value, out var parsed))
        {
            return null;
        }

        // Firely leaves a bound null when it would fall outside DateTimeOffset (e.g. the end of 9999).
        var range = parsed.GetRange(AssumedOffset);
        return (
            range.Start?.ToUniversalTime() ?? DateTimeOffset.MinValue,
            range.End?.ToUniversalTime() ?? DateTimeOffset.MaxValue);
    }
}
