using System.Globalization;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>Token rows per http://hl7.org/fhir/R4/search.html#token.</summary>
internal static class TokenValues
{
    public static void Index(string param, Base value, IndexRowsBuilder rows)
    {
        switch (value)
        {
            case Coding coding:
                Add(param, coding.System, coding.Code, coding.Display, rows);
                break;
            case CodeableConcept concept:
                foreach (var coding in concept.Coding)
                {
                    Add(param, coding.System, coding.Code, concept.Text ?? coding.Display, rows);
                }

                // A text-only concept is still findable with :text.
                if (concept.Coding.Count == 0)
                {
                    Add(param, null, null, concept.Text, rows);
                }

                break;
            case Identifier identifier:
                Add(param, identifier.System, identifier.Value, identifier.Type?.Text, rows);
                break;
            case ContactPoint contactPoint:
                Add(param, null, contactPoint.Value, null, rows);
                break;
            case PrimitiveType { JsonValue: not null } primitive:
                Add(param, null, PrimitiveText(primitive.JsonValue), null, rows);
                break;
        }
    }

    /// <summary>Uri parameters are stored as tokens without a system.</summary>
    public static void IndexUri(string param, Base value, IndexRowsBuilder rows)
    {
        if (value is PrimitiveType { JsonValue: string uri })
        {
            Add(param, null, uri, null, rows);
        }
    }

    private static string? PrimitiveText(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static void Add(string param, string? system, string? code, string? text, IndexRowsBuilder rows)
    {
        if (system is not null || code is not null || text is not null)
        {
            rows.Add(new TokenIndexRow(param, system, code, text));
        }
    }
}
