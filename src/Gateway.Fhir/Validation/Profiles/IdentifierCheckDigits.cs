namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// The check digits of the national patient numbers. The profiles state the same rules as FHIRPath
/// invariants (gw-pat-2, gw-pat-3) so that any validator enforces them; this is the reference the
/// invariants are tested against, and what record mapping uses.
/// </summary>
public static class IdentifierCheckDigits
{
    /// <summary>
    /// NHS number: 10 digits; the first nine weighted 10 down to 2, summed, taken modulo 11 and
    /// subtracted from 11 give the tenth (11 means 0; 10 means the number is never issued).
    /// NHS Data Dictionary, "NHS number".
    /// </summary>
    public static bool IsValidNhsNumber(string? value)
    {
        if (value is not { Length: 10 } || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (value[i] - '0') * (10 - i);
        }

        var check = 11 - sum % 11;
        return check switch
        {
            11 => value[9] == '0',
            10 => false,
            _ => value[9] - '0' == check,
        };
    }

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
