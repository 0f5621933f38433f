using System.Text.Json;

namespace Gateway.Mapping.ReferralOut;

/// <summary>
/// Reads FHIR JSON members as Firely's POCOs would give them, without building the POCOs: a missing
/// member, a JSON null and a value of another kind all read as absent.
/// </summary>
internal static class FhirJson
{
    public static JsonElement? Member(this JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? String(this JsonElement? element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>The items of an array member, nulls left out (a primitive's extension-only slots); none when it is absent.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement? element, string name)
    {
        if (element.Member(name) is not { ValueKind: JsonValueKind.Array } array)
        {
            yield break;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Null)
            {
                yield return item;
            }
        }
    }

    /// <summary>The first item of an array member as Firely's <c>FirstOrDefault()</c> gives it: null when absent, empty or a JSON null.</summary>
    public static JsonElement? First(this JsonElement? element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.Array } array && array.GetArrayLength() > 0 && array[0].ValueKind != JsonValueKind.Null ? array[0] : null;

    public static string? AsString(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
