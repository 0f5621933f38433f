using System.Text;
using System.Text.Json;
using Gateway.Mapping;

namespace Gateway.Fhir.Records;

/// <summary>
/// What is refused in a partner record before it is stored: a NUL character (PostgreSQL text
/// cannot hold one: 22021), a record over <see cref="RecordLimits.MaxRecordBytes"/>, a field over
/// <see cref="RecordLimits.MaxFieldLength"/>. Located by JSON path or CSV row and column.
/// </summary>
public static class RecordText
{
    /// <summary>The refusal of a JSON record with its HTTP status (400 a raw NUL, 413 too big, 422 a field), or null when it may be stored.</summary>
    public static (int Status, RecordIssue Issue)? CheckJson(string json, RecordLimits limits)
    {
        if (json.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0)
        {
            return (400, new RecordIssue(RecordIssueCode.InvalidFormat, "$", $"The record holds a NUL byte (character {nul + 1}); send UTF-8 JSON text, which cannot."));
        }

        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > limits.MaxRecordBytes)
        {
            return (413, new RecordIssue(RecordIssueCode.OutOfRange, "$", $"The record is {bytes} bytes; this gateway takes records of at most {limits.MaxRecordBytes} bytes."));
        }

        return FieldIssue(json, limits) is { } field ? (422, field) : null;
    }

    /// <summary>The first CSV field over the limit or holding a NUL, as the row's issue.</summary>
    public static RecordIssue? CheckFields(IReadOnlyDictionary<string, string> fields, int rowNumber, RecordLimits limits)
    {
        foreach (var (column, value) in fields)
        {
            if (Problem(value, limits) is { } problem)
            {
                return new RecordIssue(RecordIssueCode.OutOfRange, $"row {rowNumber}, column {column}", problem);
            }
        }

        return null;
    }

    private static RecordIssue? FieldIssue(string json, RecordLimits limits)
    {
        var path = new List<string>();
        var arrays = new Stack<int?>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 64 });
        var property = "";
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = "." + reader.GetString();
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        arrays.Pop();
                        path.RemoveAt(path.Count - 1);
                        continue;
                }

                var segment = property;
                if (arrays.TryPeek(out var index) && index is { } i)
                {
                    arrays.Pop();
                    arrays.Push(i + 1);
                    segment = $"[{i}]";
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    arrays.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : null);
                    path.Add(segment);
                }
                else if (reader.TokenType == JsonTokenType.String && Problem(reader.GetString()!, limits) is { } problem)
                {
                    return new RecordIssue(RecordIssueCode.OutOfRange, "$" + string.Concat(path) + segment, problem);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: stored and rejected with the parser's reason, as before.
        }

        return null;
    }

    private static string? Problem(string value, RecordLimits limits) =>
        value.Contains('\0', StringComparison.Ordinal) ? "The value holds a NUL character (\\u0000), which the gateway cannot keep; leave it out."
        : value.Length > limits.MaxFieldLength ? $"The value is {value.Length} characters; this gateway takes at most {limits.MaxFieldLength} in one field."
        : null;
}
