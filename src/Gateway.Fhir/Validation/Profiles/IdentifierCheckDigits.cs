namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// The check digits of the national patient numbers. The profiles state the same rules as FHIRPath
/// invariants (gw-pat-2, gw-pat-3) so that any validator enforces them; this is the reference the
/// invariants are tested against, and what record mapping uses.
/// </summary>
public static class IdentifierCheckDigits
{
    /// <summary>
    /// NHS number: 10 digits with a modulus-11 check digit; the one rule lives with the record
    /// mapping, which this project references (Mapping ← Fhir).
    /// </summary>
    public static bool IsValidNhsNumber(string? value) => value is not null && Gateway.Mapping.Identifiers.NhsNumber.HasValidCheckDigit(value);

    /// <summary>
    /// BSN: 9 digits passing the 11-test, the first eight weighted 9 down to 2 and the last -1, the
    /// sum divisible by 11 (Logius, "Burgerservicenummer"); 000000000 is never issued.
    /// </summary>
    public static bool IsValidBsn(string? value)
    {
        if (value is not { Length: 9 } || !value.All(char.IsAsciiDigit) || value == "000000000")
        {
            return false;
        }

        var sum = -(value[8] - '0');
        for (var i = 0; i < 8; i++)
        {
            sum += (value[i] - '0') * (9 - i);
        }

        return sum % 11 == 0;
    }
}
