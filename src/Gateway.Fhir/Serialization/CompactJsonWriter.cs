using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Fhir.Serialization;

/// <summary>
/// Compact FHIR JSON as Firely's <c>SerializeToString</c> writes it, into a buffer each thread keeps
/// (issue 18). <c>SerializeToString</c> grows a new <see cref="MemoryStream"/> for every resource and
/// copies it out again (<c>ToArray</c>) before decoding: the store serializes every version it writes,
/// and the growing, zeroing and copying showed in the profile of a wor-export send. The bytes are the
/// same: <c>CompactJsonWriterTests</c> compares the two for every guide example and odd text. Without
/// a summary filter, the gateway's own <see cref="PocoJsonWriter"/> writes the resource where it can.
/// </summary>
internal static class CompactJsonWriter
{
    // A buffer grown past this by one large resource (a Bundle) is let go rather than kept by the thread.
    private const int KeptCapacity = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Write(BaseFhirJsonSerializer serializer, Resource resource, Func<SerializationFilter>? filter) =>
        Written(serializer, resource, filter, static utf8 => Encoding.UTF8.GetString(utf8));

    /// <summary>The same JSON as <see cref="Write"/>, as its UTF-8 bytes: what the store and a response take, without a UTF-16 copy between.</summary>
    public static byte[] WriteUtf8(BaseFhirJsonSerializer serializer, Resource resource, Func<SerializationFilter>? filter) =>
        Written(serializer, resource, filter, static utf8 => utf8.ToArray());

    private delegate T Copy<T>(ReadOnlySpan<byte> utf8);

    private static T Written<T>(BaseFhirJsonSerializer serializer, Resource resource, Func<SerializationFilter>? filter, Copy<T> copy)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        // Firely's own options for SerializeToString: not indented, the relaxed encoder (no \u002B for a '+', nor \u00FC for a 'ü').
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        try
        {
            if (filter is not null || !PocoJsonWriter.TryWrite(resource, writer))
            {
                // What the gateway's own writer gives up on, Firely writes from the start.
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                serializer.Serialize(resource, writer, filter);
            }

            writer.Flush();
            return copy(buffer.WrittenSpan);
        }
        finally
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            if (buffer.Capacity > KeptCapacity)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }
}
