using Gateway.Fhir.Measures;

namespace Gateway.Fhir.Tests.Measures;

public sealed class SuppressionTests
{
    private static readonly MeasureGroup Received = new("received", "Referrals received", GroupScoring.Cohort);
    private static readonly MeasureGroup Accepted = new("accepted", "Referrals accepted", GroupScoring.Proportion);
    private static readonly MeasureGroup Change = new("ons4-happy", "Happy", GroupScoring.MeanChange);

    private static GroupFigures Cohort(long total, params (string Stratum, long Count)[] strata)
    {
        var group = new GroupFigures(Received);
        group.Total.Counts[MeasurePopulations.Initial] = total;
        foreach (var (stratum, count) in strata)
        {
            group.Cell("sex", stratum).Counts[MeasurePopulations.Initial] = count;
        }

        Suppression.Apply(group);
        return group;
    }

    private static bool Shown(GroupFigures group, string? stratum, string population = MeasurePopulations.Initial) =>
        (stratum is null ? group.Total : group.Cell("sex", stratum)).IsShown(population);

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    public void Counts_from_one_to_four_are_suppressed_and_zero_is_not(long count, bool shown) =>
        Assert.Equal(shown, Shown(Cohort(count), null));

    [Fact]
    public void A_cell_of_three_takes_the_smallest_other_cell_with_it_so_the_total_cannot_reveal_it()
    {
        var group = Cohort(30, ("female", 12), ("male", 3), ("unknown", 15));

        Assert.False(Shown(group, "male"));
        Assert.False(Shown(group, "female"));
        Assert.True(Shown(group, "unknown"));
        Assert.True(Shown(group, null));
    }

    [Fact]
    public void Two_suppressed_cells_that_add_up_to_less_than_five_take_a_third_with_them()
    {
        var group = Cohort(20, ("a", 1), ("b", 2), ("c", 7), ("d", 10));

        Assert.False(Shown(group, "a"));
        Assert.False(Shown(group, "b"));
        Assert.False(Shown(group, "c"));
        Assert.True(Shown(group, "d"));
    }

    [Fact]
    public void Two_suppressed_cells_adding_up_to_five_or_more_protect_each_other()
    {
        var group = Cohort(20, ("a", 3), ("b", 4), ("c", 13));

        Assert.False(Shown(group, "a"));
        Assert.False(Shown(group, "b"));
        Assert.True(Shown(group, "c"));
    }

    [Fact]
    public void A_numerator_whose_complement_is_small_is_suppressed_while_its_denominator_shows()
    {
        var group = new GroupFigures(Accepted);
        group.Total.Counts[MeasurePopulations.Denominator] = 20;
        group.Total.Counts[MeasurePopulations.Numerator] = 18;

        Suppression.Apply(group);

        Assert.True(group.Total.IsShown(MeasurePopulations.Denominator));
        Assert.False(group.Total.IsShown(MeasurePopulations.Numerator));
        Assert.Equal("suppressed", group.Total.StatisticWithheld);
    }

    [Theory]
    [InlineData(9, "n<10")]
    [InlineData(10, null)]
    public void A_mean_needs_ten_people(long n, string? withheld)
    {
        var group = new GroupFigures(Change);
        group.Total.Counts[MeasurePopulations.Measure] = n;
        group.Total.Statistic = 1.5;

        Suppression.Apply(group);

        Assert.Equal(withheld, group.Total.StatisticWithheld);
    }
}
