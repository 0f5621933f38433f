using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Api.Fhir;

/// <summary>
/// Writes a resource's stored JSON to a response without the POCO round trip (parse, then
/// serialize), which was most of a read's or a search page's CPU (docs/performance.md); the
/// Microsoft FHIR server does the same with its RawResourceElement. The store keeps each body as
/// the gateway wrote it (compact, FHIR's element order), so it goes out as it is. Bodies stored
/// before migration 0009 were kept as jsonb, which orders keys by length and respaces its text:
/// those are written again compactly with resourceType first, a few microseconds where the POCO
/// round trip was hundreds.
/// </summary>
public static class StoredJson
{
    // Relaxed: non-ASCII letters and '&' stay as they are, as Firely's serializer writes them.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The stored UTF-8 as Npgsql read it: as written, it is copied without a UTF-16 copy between.</summary>
    public static void Write(Utf8JsonWriter writer, byte[] utf8)
    {
        if (AsWritten(utf8))
        {
            writer.WriteRawValue(utf8, skipInputValidation: true);
            return;
        }

        using var document = JsonDocument.Parse(utf8);
        WriteResourceTypeFirst(writer, document);
    }

    public static void Write(IBufferWriter<byte> output, byte[] utf8)
    {
        if (AsWritten(utf8))
        {
            output.Write(utf8);
            return;
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Write(writer, utf8);
    }

    private static void WriteResourceTypeFirst(Utf8JsonWriter writer, JsonDocument document)
    {
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

    /// <summary>An answer serialized already, as text: the same as its UTF-8.</summary>
    public static void Write(IBufferWriter<byte> output, string json) => Write(output, Encoding.UTF8.GetBytes(json));

    // Firely's compact serializer always starts with the resource type; jsonb's text never does
    // ("id" and other short keys sort first, and it puts a space after every colon).
    private static bool AsWritten(ReadOnlySpan<byte> utf8) => utf8.StartsWith("{\"resourceType\":\""u8);
}
