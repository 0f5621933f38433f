using System.Text.Json;

namespace Gateway.Mapping.Json;

/// <summary>The start of every JSON record: well-formed JSON, an object, and the expected <c>format</c>.</summary>
internal static class RecordJson
{
    public static JsonObjectReader? Open(string json, string format, ICollection<RecordIssue> issues, out JsonDocument? document)
    {
        document = null;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            issues.Add(new(RecordIssueCode.InvalidFormat, "$", $"The record is not well-formed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); expected one {format} JSON object."));
            return null;
        }

        var root = JsonObjectReader.For(document.RootElement, "$", issues);
        var declared = root?.String("format", required: true);
        if (declared is not null && declared != format)
        {
            issues.Add(new(RecordIssueCode.InvalidValue, "$.format", $"'{declared}' is not this record's format; expected '{format}'."));
        }

        return root;
    }
}
