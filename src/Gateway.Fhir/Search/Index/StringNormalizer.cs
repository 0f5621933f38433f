using System.Globalization;
using System.Text;

namespace Gateway.Fhir.Search.Index;

/// <summary>
/// The form string search compares on: values match "after both have been normalized by case and accent"
/// (http://hl7.org/fhir/R4/search.html#string). Query values must go through the same function.
/// </summary>
public static class StringNormalizer
{
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            var folded = DiacriticFolding.Fold(c);
            if (CharUnicodeInfo.GetUnicodeCategory(folded) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(folded));
            }
        }

        return builder.ToString();
    }
}
