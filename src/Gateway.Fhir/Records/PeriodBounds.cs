using System.Collections.Concurrent;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Records;

/// <summary>
/// A Consent period's start and end as instants, as <c>ConsentGate</c> reads them: a partial date
/// starts at its first moment, and an end given as a date (or year, or month) lasts through that
/// day. Firely parses each string (FhirDateTime, a tenth of the feed's gateway CPU); a page asks
/// the same few dates a hundred times, so each string is parsed once and kept, up to a bound.
/// </summary>
internal static class PeriodBounds
{
    private const int Kept = 4096;
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Parsed = new(StringComparer.Ordinal);

    public static DateTimeOffset Starts(string? start) => start is null ? DateTimeOffset.MinValue : Instant(start);

    public static DateTimeOffset Ends(string? end) => end is null
        ? DateTimeOffset.MaxValue
        : end.Length <= 10 ? Instant(end).AddDays(1) : Instant(end);

    private static DateTimeOffset Instant(string value)
    {
        if (Parsed.TryGetValue(value, out var known))
        {
            return known;
        }

        var parsed = new FhirDateTime(value).ToDateTimeOffset(TimeSpan.Zero);
        if (Parsed.Count < Kept)
        {
            Parsed.TryAdd(value, parsed);
        }

        return parsed;
    }
}
