using System.Globalization;
using System.Text.Json;

namespace Gateway.Cli.Trace;

/// <summary>
/// A referral timeline as lines: a heading with the Task and ServiceRequest, then one line per event
/// (when, kind, what, who) and its details indented below it.
/// </summary>
public static class TimelinePrinter
{
    public static IEnumerable<string> Lines(JsonElement timeline)
    {
        var request = timeline.TryGetProperty("serviceRequest", out var sr) && sr.ValueKind == JsonValueKind.String ? $" for {sr.GetString()}" : "";
        yield return $"Referral {timeline.GetProperty("task").GetString()}{request}";
        foreach (var e in timeline.GetProperty("events").EnumerateArray())
        {
            var at = e.GetProperty("at").GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            yield return $"{at}  {e.GetProperty("kind").GetString(),-13} {e.GetProperty("summary").GetString()}  [{e.GetProperty("actor").GetString()}]";
            if (e.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in detail.EnumerateObject().Where(m => m.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)))
                {
                    yield return $"{"",22}{member.Name}: {Value(member.Value)}";
                }
            }
        }
    }

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(Value)),
        JsonValueKind.Object when value.TryGetProperty("message", out var message) =>
            $"{Text(value, "code")} at {Text(value, "location")}: {message.GetString()}",
        _ => value.ToString(),
    };

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var v) ? v.ToString() : null;
}
