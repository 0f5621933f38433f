using System.Text.Json;

namespace Gateway.Mapping.Json;

/// <summary>
/// Reads the fields of one JSON object strictly, collecting an issue for each missing, mistyped or
/// unknown field instead of stopping at the first. Locations are JSON paths ($.tenant.nhsNumber).
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private JsonObjectReader(JsonElement element, string path, ICollection<RecordIssue> issues)
    {
        _element = element;
        Path = path;
        Issues = issues;
    }

    public string Path { get; }

    public ICollection<RecordIssue> Issues { get; }

    /// <summary>The reader of an object, or null (with an issue) when the element is not an object.</summary>
    public static JsonObjectReader? For(JsonElement element, string path, ICollection<RecordIssue> issues)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return new JsonObjectReader(element, path, issues);
        }

        issues.Add(new(RecordIssueCode.InvalidFormat, path, $"Expected a JSON object, found {Describe(element)}."));
        return null;
    }

    public string PathOf(string name) => Path + "." + name;

    public string? String(string name, bool required)
    {
        if (Field(name, required, JsonValueKind.String, "a string") is not { } value)
        {
            return null;
        }

        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            Issues.Add(new(RecordIssueCode.Required, PathOf(name), $"{name} is empty; it is required."));
            return null;
        }

        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    public bool? Boolean(string name, bool required)
    {
        var value = Field(name, required, JsonValueKind.True, "true or false");
        return value?.GetBoolean();
    }

    public int? Integer(string name, bool required)
    {
        if (Field(name, required, JsonValueKind.Number, "a whole number") is not { } value)
        {
            return null;
        }

        if (value.TryGetInt32(out var number))
        {
            return number;
        }

        Issues.Add(new(RecordIssueCode.InvalidFormat, PathOf(name), $"{value.GetRawText()} is not a whole number; expected an integer."));
        return null;
    }

    public JsonObjectReader? Object(string name, bool required) =>
        Field(name, required, JsonValueKind.Object, "an object") is { } value ? new JsonObjectReader(value, PathOf(name), Issues) : null;

    /// <summary>The objects of an array field, each with its path ($.activities[0]); empty when absent.</summary>
    public IEnumerable<JsonObjectReader> Objects(string name, bool required)
    {
        if (Field(name, required, JsonValueKind.Array, "an array") is not { } array)
        {
            return [];
        }

        var items = new List<JsonObjectReader>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (For(item, $"{PathOf(name)}[{index++}]", Issues) is { } reader)
            {
                items.Add(reader);
            }
        }

        return items;
    }

    /// <summary>Adds an issue for each field of the object that was never read: the format does not have it.</summary>
    public void RejectUnknownFields()
    {
        foreach (var property in _element.EnumerateObject().Where(p => !_read.Contains(p.Name)))
        {
            Issues.Add(new(RecordIssueCode.UnknownField, PathOf(property.Name), $"{property.Name} is not a field of this record format; remove it."));
        }
    }

    private JsonElement? Field(string name, bool required, JsonValueKind kind, string expected)
    {
        _read.Add(name);
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Issues.Add(new(RecordIssueCode.Required, PathOf(name), $"{name} is missing; it is required."));
            }

            return null;
        }

        var matches = kind == JsonValueKind.True ? value.ValueKind is JsonValueKind.True or JsonValueKind.False : value.ValueKind == kind;
        if (!matches)
        {
            Issues.Add(new(RecordIssueCode.InvalidFormat, PathOf(name), $"Expected {expected}, found {Describe(value)}."));
            return null;
        }

        return value;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
