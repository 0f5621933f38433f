using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Api.Fhir;

/// <summary>
/// Writes a resource's stored JSON to a response without the POCO round trip (parse, then
/// serialize), which was most of a read's or a search page's CPU (docs/performance.md); the
/// Microsoft FHIR server does the same with its RawResourceElement. The store keeps bodies as
/// jsonb, which orders keys by length and spaces its text output, so the JSON is written again
/// compactly with resourceType first, as FHIR's JSON examples have it: a few microseconds where the
/// POCO round trip was hundreds.
/// </summary>
public static class StoredJson
{
    // Relaxed: non-ASCII letters and '&' stay as they are, as Firely's serializer writes them.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Utf8JsonWriter writer, string json)
    {
        using var document = JsonDocument.Parse(json);
        writer.WriteStartObject();
        if (document.RootElement.TryGetProperty("resourceType", out var resourceType))
        {
            writer.WriteString("resourceType", resourceType.GetString());
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name != "resourceType")
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    public static void Write(IBufferWriter<byte> output, string json)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Write(writer, json);
    }
}
