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

    // Firely's parse is a regular expression a value (issue 18, eighth pass: 2.5 % of a wor-export send).
    private static readonly RecentValues<(DateTimeOffset Start, DateTimeOffset End)?> Ranges = new(Parse);

    private static (DateTimeOffset Start, DateTimeOffset End)? Range(string? value) => value is null ? null : Ranges.Get(value);

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
