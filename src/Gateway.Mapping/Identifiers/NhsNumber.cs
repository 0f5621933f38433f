namespace Gateway.Mapping.Identifiers;

/// <summary>
/// NHS number check digit (NHS Data Dictionary, "NHS number"): the first nine digits weighted 10
/// down to 2, summed, modulo 11, subtracted from 11 give the tenth; 11 means 0 and 10 is never issued.
/// Gateway.Fhir's validation uses this one too (Mapping ← Fhir).
/// </summary>
public static class NhsNumber
{
    public static bool IsTenDigits(string value) => value is { Length: 10 } && value.All(char.IsAsciiDigit);

    public static bool HasValidCheckDigit(string value)
    {
        if (!IsTenDigits(value))
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
}
