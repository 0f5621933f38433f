using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Api.Records;

/// <summary>
/// The records of a JSON batch (<c>[ {…}, {…} ]</c>) from a body already read whole (in memory, or
/// in a temporary file past the first megabyte), without holding them all: one pass checks the body
/// is a JSON array and notes where each element starts and ends, so a malformed batch is refused
/// before any record is stored; the records are then read back one at a time as the chunks take
/// them. Memory stays flat with the batch's size (issue 18), where a parsed document held the
/// batch two to three times over.
/// </summary>
internal static class JsonBatchArray
{
    private const int BufferBytes = 64 * 1024;

    public static async Task<IEnumerable<string>> ReadAsync(Stream body, CancellationToken ct)
    {
        var elements = await FindElementsAsync(body, ct);
        body.Position = 0;
        return Elements(body, elements);
    }

    // The array's elements' byte ranges, from a streaming reader carried across buffer refills.
    private static async Task<List<(long Start, int Length)>> FindElementsAsync(Stream body, CancellationToken ct)
    {
        var elements = new List<(long, int)>();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            var state = new JsonReaderState();
            var kept = 0; // bytes of an unfinished token carried to the front of the buffer
            long bufferStart = 0; // the body offset of buffer[0]
            long elementStart = -1;
            var rootIsArray = false;
            var rootSeen = false;
            var final = false;
            while (!final)
            {
                if (kept == buffer.Length)
                {
                    // One token larger than the buffer (a long string): grow it.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, kept).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(kept), ct);
                final = read == 0;
                var length = kept + read;
                // A UTF-8 byte order mark is allowed, as JsonDocument allows it; the reader does not.
                var bom = bufferStart == 0 && buffer.AsSpan(0, length).StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
                var consumed = bom + Scan(buffer.AsSpan(bom, length - bom), final, ref state, bufferStart + bom, ref elementStart, ref rootSeen, ref rootIsArray, elements);
                kept = length - consumed;
                buffer.AsSpan(consumed, kept).CopyTo(buffer);
                bufferStart += consumed;
            }

            return rootIsArray
                ? elements
                : throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, "A JSON batch is an array of records: [ {…}, {…} ].");
        }
        catch (JsonException malformed)
        {
            throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure,
                $"The batch is not valid JSON (line {malformed.LineNumber + 1}, byte {malformed.BytePositionInLine + 1}): {malformed.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Reads what the buffer holds; returns the bytes consumed. An element is a value at depth 1:
    // it starts at its first token and ends after the token that brings the reader back to depth 1.
    private static int Scan(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, long bufferStart,
        ref long elementStart, ref bool rootSeen, ref bool rootIsArray, List<(long, int)> elements)
    {
        var reader = new Utf8JsonReader(data, final, state);
        while (reader.Read())
        {
            if (!rootSeen)
            {
                rootSeen = true;
                rootIsArray = reader.TokenType == JsonTokenType.StartArray;
                continue;
            }

            if (!rootIsArray)
            {
                continue;
            }

            var depth = reader.CurrentDepth;
            if (depth == 1 && elementStart < 0)
            {
                elementStart = bufferStart + reader.TokenStartIndex;
            }

            var closesElement = depth == 1 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName);
            if (closesElement)
            {
                var end = bufferStart + reader.BytesConsumed;
                elements.Add((elementStart, checked((int)(end - elementStart))));
                elementStart = -1;
            }
        }

        state = reader.CurrentState;
        return checked((int)reader.BytesConsumed);
    }

    private static IEnumerable<string> Elements(Stream body, List<(long Start, int Length)> elements)
    {
        // The body is buffered whole, so these reads come from memory or the temporary file, never the socket.
        foreach (var (start, length) in elements)
        {
            var bytes = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                body.Position = start;
                body.ReadExactly(bytes, 0, length);
                yield return Encoding.UTF8.GetString(bytes, 0, length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }
    }
}
