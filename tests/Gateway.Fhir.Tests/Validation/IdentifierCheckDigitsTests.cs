using Gateway.Fhir.Validation.Profiles;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Validation;

public sealed class IdentifierCheckDigitsTests
{
    [Theory]
    [InlineData("9434765919")]
    [InlineData("9995908301")]
    [InlineData("9996613186")]
    [InlineData("9994628194")]
    [InlineData("4010232137")]
    public void Known_NHS_numbers_are_valid(string nhsNumber) => Assert.True(IdentifierCheckDigits.IsValidNhsNumber(nhsNumber));

    [Theory]
    [InlineData("9995908302")]
    [InlineData("9434765918")]
    [InlineData("943476591")]
    [InlineData("94347659190")]
    [InlineData("943 476 5919")]
    [InlineData("94347659l9")]
    [InlineData("")]
    [InlineData(null)]
    public void Wrong_digits_or_shapes_are_not_NHS_numbers(string? nhsNumber) => Assert.False(IdentifierCheckDigits.IsValidNhsNumber(nhsNumber));

    [Fact]
    public void Each_nine_digit_body_has_one_NHS_check_digit_or_none_when_it_would_be_ten()
    {
        for (var body = 0; body < 1_000_000; body += 7)
        {
            var prefix = (400_000_000 + body * 599).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            var sum = prefix.Select((c, i) => (c - '0') * (10 - i)).Sum();
            var expected = (11 - sum % 11) % 11;
            var valid = Enumerable.Range(0, 10).Where(d => IdentifierCheckDigits.IsValidNhsNumber(prefix + d)).ToList();

            Assert.Equal(expected == 10 ? [] : [expected], valid);
        }
    }

    [Theory]
    [InlineData("999911120")]
    [InlineData("111222333")]
    [InlineData("123456782")]
    public void Known_BSNs_are_valid(string bsn) => Assert.True(IdentifierCheckDigits.IsValidBsn(bsn));

    [Theory]
    [InlineData("999911121")]
    [InlineData("123456789")]
    [InlineData("000000000")]
    [InlineData("12345678")]
    [InlineData("1234567820")]
    [InlineData("12345678a")]
    [InlineData(null)]
    public void Wrong_digits_or_shapes_are_not_BSNs(string? bsn) => Assert.False(IdentifierCheckDigits.IsValidBsn(bsn));

    [Fact]
    public void Each_eight_digit_body_has_one_BSN_last_digit_or_none_when_it_would_be_ten()
    {
        for (var body = 1; body < 1_000_000; body += 7)
        {
            var prefix = (10_000_000 + body * 89).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            var sum = prefix.Select((c, i) => (c - '0') * (9 - i)).Sum();
            var valid = Enumerable.Range(0, 10).Where(d => IdentifierCheckDigits.IsValidBsn(prefix + d)).ToList();

            Assert.Equal(sum % 11 == 10 ? [] : [sum % 11], valid);
        }
    }

    // The profile's FHIRPath invariants are what other validators run; they must agree with the reference functions.
    [Fact]
    public void The_profile_invariants_agree_with_the_check_digit_functions()
    {
        var patient = Guide.Example<Patient>("Patient-example-margaret.json");
        for (var body = 0; body < 300; body++)
        {
            var prefix = (943_476_000 + body * 37).ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (var digit = 0; digit < 10; digit++)
            {
                patient.Identifier = [new Identifier("https://fhir.nhs.uk/Id/nhs-number", prefix + digit)];
                Assert.Equal(IdentifierCheckDigits.IsValidNhsNumber(prefix + digit), !Broken(patient, "gw-pat-2"));
                patient.Identifier = [new Identifier("http://fhir.nl/fhir/NamingSystem/bsn", prefix[1..] + digit)];
                Assert.Equal(IdentifierCheckDigits.IsValidBsn(prefix[1..] + digit), !Broken(patient, "gw-pat-3"));
            }
        }
    }

    private static bool Broken(Patient patient, string rule) =>
        Guide.Validator.Validate(patient).Issues.Any(i => i.Details.Coding.Any(c => c.Code == rule));
}
