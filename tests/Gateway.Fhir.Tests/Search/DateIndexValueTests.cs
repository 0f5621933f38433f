using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Search;

/// <summary>
/// The index's date rows remember the ranges of values seen before (issue 18, eighth pass): a value
/// indexed again, and values indexed after the remembered ones were let go, give the rows a
/// first-time parse gives.
/// </summary>
public sealed class DateIndexValueTests
{
    [Fact]
    public void A_value_indexed_again_and_after_many_others_has_the_range_of_its_first_time()
    {
        var values = new[] { "1970", "1970-05", "1970-05-17", "2026-12-06T03:52:00Z", "2026-12-06T04:52:00.123+01:00", "2026-12-06T04:52:00.1234567+01:00" };
        var first = values.Select(BirthDateRow).ToList();

        // More distinct values than are remembered, so what was remembered is let go on the way.
        for (var day = 0; day < 5_000; day++)
        {
            var date = new DateOnly(1900, 1, 1).AddDays(day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var row = BirthDateRow(date);
            Assert.Equal(new DateTimeOffset(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.MinValue, TimeSpan.Zero), row.Start);
            Assert.Equal(row.Start.AddDays(1), row.End);
        }

        Assert.Equal(first, values.Select(BirthDateRow).ToList());
        Assert.Equal(first, values.Select(BirthDateRow).ToList());
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 3, 52, 0, 123, TimeSpan.Zero), first[4].Start);
        Assert.Equal(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), first[0].Start);
        Assert.Equal(new DateTimeOffset(1971, 1, 1, 0, 0, 0, TimeSpan.Zero), first[0].End);
    }

    [Fact]
    public void A_value_that_is_no_date_makes_no_row_the_second_time_either()
    {
        var patient = new Patient { BirthDateElement = new Date("1970-13-40") };
        Assert.DoesNotContain(SearchIndexer.Extract(patient).Dates, d => d.Param == "birthdate");
        Assert.DoesNotContain(SearchIndexer.Extract(patient).Dates, d => d.Param == "birthdate");
    }

    private static DateIndexRow BirthDateRow(string value) =>
        Assert.Single(SearchIndexer.Extract(new Patient { BirthDateElement = new Date(value) }).Dates, d => d.Param == "birthdate");
}
