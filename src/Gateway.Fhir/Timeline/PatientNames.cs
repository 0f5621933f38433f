using System.Text.Json;

namespace Gateway.Fhir.Timeline;

/// <summary>A Patient's first HumanName as a person reads it: its text, else given names then family name.</summary>
public static class PatientNames
{
    public static string? Display(string humanNameJson)
    {
        using var json = JsonDocument.Parse(humanNameJson);
        var name = json.RootElement;
        if (name.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (name.TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 } written)
        {
            return written;
        }

        var parts = new List<string>();
        if (name.TryGetProperty("given", out var given) && given.ValueKind == JsonValueKind.Array)
        {
            parts.AddRange(given.EnumerateArray().Select(g => g.GetString()).OfType<string>());
        }

        if (name.TryGetProperty("family", out var family) && family.GetString() is { } surname)
        {
            parts.Add(surname);
        }

        return parts.Count == 0 ? null : string.Join(' ', parts);
    }
}
