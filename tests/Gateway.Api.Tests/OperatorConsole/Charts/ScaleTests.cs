using Gateway.Api.OperatorConsole.Charts;

namespace Gateway.Api.Tests.OperatorConsole.Charts;

public sealed class ScaleTests
{
    [Fact]
    public void Ticks_are_round_numbers_from_zero_past_the_largest_value() =>
        Assert.Equal([0, 20, 40, 60, 80, 100], Scale.Covering([3, 97], wholeNumbers: true).Ticks);

    [Fact]
    public void Counts_get_whole_number_ticks_however_small() =>
        Assert.Equal([0, 1, 2], Scale.Covering([2], wholeNumbers: true).Ticks);

    [Fact]
    public void Fractions_get_fractional_ticks() =>
        Assert.Equal([0, 0.5, 1, 1.5, 2], Scale.Covering([1.7], wholeNumbers: false).Ticks);

    [Fact]
    public void A_scale_with_negative_values_still_includes_zero() =>
        Assert.Equal([-2, -1, 0, 1, 2], Scale.Covering([-1.5, 1.2], wholeNumbers: false).Ticks);

    [Fact]
    public void All_zero_values_still_make_a_usable_scale()
    {
        var scale = Scale.Covering([0, 0], wholeNumbers: true);

        Assert.Equal(0, scale.Min);
        Assert.Equal(1, scale.Max);
        Assert.Equal(10, scale.Map(0, 10, 110));
        Assert.Equal(110, scale.Map(1, 10, 110));
    }
}
