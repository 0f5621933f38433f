using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>String rows per http://hl7.org/fhir/R4/search.html#string.</summary>
internal static class StringValues
{
    public static void Index(string param, Base value, IndexRowsBuilder rows)
    {
        switch (value)
        {
            case HumanName name:
                Add(param, name.Family, rows);
                AddAll(param, name.Given, rows);
                AddAll(param, name.Prefix, rows);
                AddAll(param, name.Suffix, rows);
                Add(param, name.Text, rows);
                break;
            case Address address:
                AddAll(param, address.Line, rows);
                Add(param, address.City, rows);
                Add(param, address.District, rows);
                Add(param, address.State, rows);
                Add(param, address.PostalCode, rows);
                Add(param, address.Country, rows);
                Add(param, address.Text, rows);
                break;
            case PrimitiveType { JsonValue: string text }:
                Add(param, text, rows);
                break;
        }
    }

    private static void AddAll(string param, IEnumerable<string?> values, IndexRowsBuilder rows)
    {
        foreach (var value in values)
        {
            Add(param, value, rows);
        }
    }

    private static void Add(string param, string? value, IndexRowsBuilder rows)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            rows.Add(new StringIndexRow(param, StringNormalizer.Normalize(value), value));
        }
    }
}
