using System.Text;
using System.Text.Json;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Fhir.Serialization;

/// <summary>Firely's POCO serializers, configured once. Never ASP.NET's own JSON options (STYLE rule 4).</summary>
public static class FhirSerialization
{
    private static readonly BaseFhirJsonSerializer JsonSerializer = new(ModelInfo.ModelInspector);
    private static readonly BaseFhirXmlSerializer XmlSerializer = new(ModelInfo.ModelInspector);

    // What we stored we validated on the way in; reading it back needs no second strict pass, and no
    // POCO validation either: that was half of the CPU of reading a resource back (issue 9).
    private static readonly FhirJsonDeserializer StoredJsonDeserializer =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable) with { Validator = null });

    public static string ToJson(Resource resource, bool pretty = false, Func<SerializationFilter>? filter = null) =>
        pretty ? JsonSerializer.SerializeToString(resource, pretty, filter) : CompactJsonWriter.Write(JsonSerializer, resource, filter);

    // Not SerializeToBytes: that escapes every non-ASCII letter (M\u00FCller), which no reader of our output wants.
    public static byte[] ToJsonBytes(Resource resource, bool pretty = false, Func<SerializationFilter>? filter = null) =>
        pretty ? Encoding.UTF8.GetBytes(ToJson(resource, pretty, filter)) : CompactJsonWriter.WriteUtf8(JsonSerializer, resource, filter);

    /// <summary>The body the store keeps for a version: <see cref="ToJson"/>'s compact JSON as UTF-8, as Npgsql sends it to a <c>json</c> column.</summary>
    public static byte[] ToStoredJson(Resource resource) => CompactJsonWriter.WriteUtf8(JsonSerializer, resource, null);

    public static byte[] ToXmlBytes(Resource resource, bool pretty = false, Func<SerializationFilter>? filter = null)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = pretty, OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            XmlSerializer.Serialize(resource, writer, filter, null);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a resource the store wrote; a failure here is a server fault, not a client's.</summary>
    public static Resource FromStoredJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        // The UTF-8 copy only lives while it is read (the resource keeps strings of its own): a pooled buffer, not a new array a read.
        var utf8 = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            return FromStoredJson(utf8.AsSpan(0, Encoding.UTF8.GetBytes(json, utf8)));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>Reads a resource the store wrote, from the UTF-8 the store gave (Npgsql reads a <c>json</c> column as bytes too).</summary>
    public static Resource FromStoredJson(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (StoredJsonDeserializer.TryDeserializeResource(ref reader, out var resource, out var issues) && resource is not null)
        {
            return resource;
        }

        throw new InvalidOperationException("A stored resource could not be read back: " + string.Join("; ", issues.Select(i => i.Message)));
    }
}
