using Gateway.Mapping.Identifiers;

namespace Gateway.Mapping.Tests.Identifiers;

public sealed class NhsNumberTests
{
    [Theory]
    [InlineData("9995908301")]
    [InlineData("9996613186")]
    [InlineData("9994628194")]
    public void Sample_nhs_numbers_pass_the_modulus_11_check(string value) => Assert.True(NhsNumber.HasValidCheckDigit(value));

    [Theory]
    [InlineData("9995908302")] // the invalid sample: last digit off by one
    [InlineData("9994628195")]
    [InlineData("1000000010")] // 11 - (12 mod 11) = 10: never issued, whatever the last digit
    [InlineData("1000000011")]
    public void Wrong_check_digit_fails(string value) => Assert.False(NhsNumber.HasValidCheckDigit(value));

    [Theory]
    [InlineData("999 590 8301")]
    [InlineData("999590830")]
    [InlineData("99959083011")]
    [InlineData("999590830A")]
    public void Anything_but_ten_digits_fails(string value)
    {
        Assert.False(NhsNumber.IsTenDigits(value));
        Assert.False(NhsNumber.HasValidCheckDigit(value));
    }

    [Fact]
    public void Eleven_means_check_digit_zero()
    {
        // 100000006: weights 10..2 give 22, 22 mod 11 = 0, 11 - 0 = 11, written 0.
        Assert.True(NhsNumber.HasValidCheckDigit("1000000060"));
        Assert.False(NhsNumber.HasValidCheckDigit("1000000061"));
    }
}
