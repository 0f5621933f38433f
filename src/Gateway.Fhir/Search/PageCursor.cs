using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Gateway.Fhir.Search;

/// <summary>
/// A keyset position in a result: the sort values and resource key of a row, and whether the
/// next page lies after it or the previous page before it. Opaque to clients (base64url JSON);
/// paging by position rather than offset keeps pages stable while resources are added.
/// </summary>
public sealed record PageCursor(IReadOnlyList<string> SortValues, long ResourceKey, bool Backwards)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Wire(SortValues.ToArray(), ResourceKey, Backwards)));

    public static PageCursor? TryDecode(string text)
    {
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(text));
            return wire?.V is null ? null : new PageCursor(wire.V, wire.K, wire.B);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record Wire(string[] V, long K, bool B);
}
