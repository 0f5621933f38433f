using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Mapping.WorExport;

/// <summary>
/// One data row of a wor-export/v1 file, its fields as text, before any checking of their values.
/// </summary>
/// <param name="RowNumber">1-based number of the data row, the header not counted: "row 5" is the fifth client in the file.</param>
/// <param name="LineNumber">1-based physical line the row starts on, the header counted (quoted line breaks make the two differ).</param>
/// <param name="ContentHash">
/// SHA-256 (lowercase hex) of the row's normalised values, for idempotency: the same row in a later
/// export, even with columns reordered or other line endings, has the same hash.
/// </param>
/// <param name="Fields">Each known column's value; a column the row lacks is empty.</param>
/// <param name="Issues">What is wrong with the row's structure (field count, quoting); its values are checked when mapped.</param>
public sealed record WorExportRow(
    int RowNumber,
    int LineNumber,
    string ContentHash,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<RecordIssue> Issues)
{
    private const int MaxKeptText = 16 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_text;

    public string this[string column] => Fields.TryGetValue(column, out var value) ? value : "";

    public string Location(string column) => $"row {RowNumber}, column {column}";

    /// <summary>Trimmed, line endings as LF, each value after its column name in the format's column order; an optional column only when filled.</summary>
    public static string Hash(IReadOnlyDictionary<string, string> fields)
    {
        // The text is built in a buffer kept by the thread and hashed from a pooled one: a row's hash
        // was a growing StringBuilder, its string and its UTF-8 copy (issue 18, every file row).
        var text = t_text ??= new StringBuilder(1024);
        text.Clear();
        foreach (var column in WorExportColumns.All)
        {
            var value = fields.TryGetValue(column, out var v) ? Normalise(v) : "";
            text.Append(column).Append('=').Append(value).Append('\u001e');
        }

        foreach (var column in WorExportColumns.Optional)
        {
            if (fields.TryGetValue(column, out var v) && Normalise(v) is { Length: > 0 } value)
            {
                text.Append(column).Append('=').Append(value).Append('\u001e');
            }
        }

        // One copy of the whole text, so a character split across the builder's chunks is encoded as one.
        var chars = ArrayPool<char>.Shared.Rent(text.Length);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            text.CopyTo(0, chars, text.Length);
            var length = Encoding.UTF8.GetBytes(chars.AsSpan(0, text.Length), bytes);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, length), digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
            if (text.Capacity > MaxKeptText)
            {
                // A row with a very long field (up to 1 MB) does not keep its buffer for every row after it.
                t_text = null;
            }
        }
    }

    public static string Normalise(string value) => value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
}
