using Gateway.Fhir.Search;

namespace Gateway.Fhir.Tests.Search;

public sealed class DateRangeTests
{
    [Theory]
    [InlineData("2026", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("2026-02", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z")]
    [InlineData("2026-09-28", "2026-09-28T00:00:00Z", "2026-09-29T00:00:00Z")]
    [InlineData("2026-09-28T10:20:00+01:00", "2026-09-28T09:20:00Z", "2026-09-28T09:20:01Z")]
    [InlineData("2026-09-28T10:20Z", "2026-09-28T10:20:00Z", "2026-09-28T10:21:00Z")]
    public void A_partial_value_covers_its_whole_precision(string value, string start, string end)
    {
        Assert.True(DateRange.TryParse(value, out var range));
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), range.Start);
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), range.End);
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("2026-13")]
    [InlineData("yesterday")]
    [InlineData("26-09-2026")]
    public void Impossible_dates_are_refused(string value) => Assert.False(DateRange.TryParse(value, out _));
}
