using Gateway.Fhir.Measures;

namespace Gateway.Fhir.Tests.Measures;

public sealed class StudentTTests
{
    // Printed tables of Student's t (two-sided 95 %) and the normal limit.
    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(9, 2.262)]
    [InlineData(29, 2.045)]
    [InlineData(100, 1.984)]
    [InlineData(100000, 1.960)]
    public void The_975_quantile_matches_the_tables(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(0.975, degreesOfFreedom), 3);

    [Fact]
    public void The_interval_of_a_mean_is_worked_out_as_by_hand()
    {
        // Changes 1 2 3 0 2 1 4 2 3 2: mean 2, sd sqrt(12/9), half-width 2.26216 * 1.15470 / sqrt(10) = 0.82603.
        var (low, high) = StudentT.Interval95(2, Math.Sqrt(12.0 / 9), 10);

        Assert.Equal(1.17397, low, 4);
        Assert.Equal(2.82603, high, 4);
    }
}
