using System.Text.Json;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Validation;

/// <summary>
/// One streaming pass over FHIR JSON before Firely sees it, for what must be refused whatever the
/// resource: a NUL character (no FHIR string may hold one, and PostgreSQL text cannot: 22021) and
/// more repeats or elements than <see cref="ParseLimits"/> allow. Malformed JSON is left to Firely,
/// which says what is wrong with it.
/// </summary>
internal static class JsonShape
{
    public static OperationOutcome.IssueComponent? Check(ReadOnlySpan<byte> json, string root, ParseLimits limits, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(json, options);
        var segments = new List<string>();
        var containers = new Stack<(bool IsArray, int Count, bool Exempt)>();
        var property = root;
        var elements = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = "." + reader.GetString();
                        if (property.Contains('\0'))
                        {
                            return Nul(Path(segments, property.Replace("\0", "%00", StringComparison.Ordinal)), "An element name");
                        }

                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        segments.RemoveAt(segments.Count - 1);
                        continue;
                    case JsonTokenType.Comment:
                        continue;
                }

                var segment = property;
                if (containers.TryPeek(out var parent) && parent.IsArray)
                {
                    containers.Pop();
                    containers.Push(parent with { Count = parent.Count + 1 });
                    if (parent.Count >= limits.MaxRepeats && !parent.Exempt)
                    {
                        return TooLong(Path(segments, ""), $"has more than {limits.MaxRepeats} items; this server takes at most {limits.MaxRepeats} of one repeating element.");
                    }

                    segment = $"[{parent.Count}]";
                }

                if (++elements > limits.MaxElements)
                {
                    return TooLong(Path(segments, segment), $"is beyond the {limits.MaxElements} elements this server takes in one resource.");
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    // A Bundle's entries have their own limit (Gateway:Fhir:MaxBundleEntries, 413 naming Bundle.entry).
                    var exempt = containers.Count == 1 && segment == ".entry";
                    containers.Push((reader.TokenType == JsonTokenType.StartArray, 0, exempt));
                    segments.Add(segment);
                }
                else if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped && reader.GetString()!.Contains('\0'))
                {
                    return Nul(Path(segments, segment), "The value");
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: Firely's own message says where and what.
        }

        return null;
    }

    private static string Path(List<string> segments, string last) => (string.Concat(segments) + last).TrimStart('.');

    private static OperationOutcome.IssueComponent Nul(string path, string what) => Issue(OperationOutcome.IssueType.Invalid, path,
        $"{what} at {(path.Length == 0 ? "the root" : path)} contains a NUL character (\\u0000), which no FHIR string may hold.");

    private static OperationOutcome.IssueComponent TooLong(string path, string message) => Issue(OperationOutcome.IssueType.TooLong, path,
        $"{(path.Length == 0 ? "The resource" : path)} {message}");

    private static OperationOutcome.IssueComponent Issue(OperationOutcome.IssueType code, string path, string diagnostics) => new()
    {
        Severity = OperationOutcome.IssueSeverity.Error,
        Code = code,
        Diagnostics = diagnostics,
        Expression = path.Length == 0 ? [] : [path],
    };
}
