using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// Names the entries in the issues of a bundle that failed strict parsing, so that
/// "Bundle.entry[2].resource.status" comes with "entry 2 (POST ServiceRequest): ...". The parser
/// hands back no partial Bundle, so the method and url are read from the raw body.
/// </summary>
public static partial class UnparsedEntryLabels
{
    private const int MaxDepth = 64;

    public static IReadOnlyList<OperationOutcome.IssueComponent> Name(IReadOnlyList<OperationOutcome.IssueComponent> issues, byte[] body, bool isXml)
    {
        ArgumentNullException.ThrowIfNull(issues);
        var requests = TryRead(body, isXml);
        return issues.Select(issue =>
        {
            if (issue.Expression.FirstOrDefault() is not { } expression || EntryIndex().Match(expression) is not { Success: true } match)
            {
                return issue;
            }

            var index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var (method, url) = requests.TryGetValue(index, out var request) ? request : (null, null);
            var named = (OperationOutcome.IssueComponent)issue.DeepCopy();
            named.Diagnostics = $"{EntryFailure.Label(index, method, url)}: {issue.Diagnostics}";
            return named;
        }).ToList();
    }

    // Labels are a courtesy: a body too broken to read them from simply gets none.
    private static Dictionary<int, (string? Method, string? Url)> TryRead(byte[] body, bool isXml)
    {
        try
        {
            return isXml ? ReadXml(body) : ReadJson(body);
        }
        catch (Exception e) when (e is JsonException or XmlException or InvalidOperationException)
        {
            return [];
        }
    }

    private static Dictionary<int, (string?, string?)> ReadJson(byte[] body)
    {
        var requests = new Dictionary<int, (string?, string?)>();
        var json = body.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return requests;
        }

        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("request", out var request) && request.ValueKind == JsonValueKind.Object)
            {
                requests[index] = (Text(request, "method"), Text(request, "url"));
            }

            index++;
        }

        return requests;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // <Bundle><entry><request><method value="POST"/><url value="Patient"/></request></entry></Bundle>
    private static Dictionary<int, (string?, string?)> ReadXml(byte[] body)
    {
        var requests = new Dictionary<int, (string? Method, string? Url)>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(body, writable: false), settings);
        var index = -1;
        var path = new List<string>();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Depth >= MaxDepth)
            {
                break;
            }

            path.RemoveRange(reader.Depth, path.Count - reader.Depth);
            path.Add(reader.LocalName);
            if (path is [_, "entry"])
            {
                index++;
            }
            else if (path is [_, "entry", "request", var name and ("method" or "url")])
            {
                var (method, url) = requests.GetValueOrDefault(index);
                requests[index] = name == "method" ? (reader.GetAttribute("value"), url) : (method, reader.GetAttribute("value"));
            }
        }

        return requests;
    }

    [GeneratedRegex(@"^Bundle\.entry\[(\d+)\]")]
    private static partial Regex EntryIndex();
}
