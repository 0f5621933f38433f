using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// Runs a guide's examples in order against the sandbox gateway: fills in the placeholders
/// (<c>{{gp-token}}</c>, <c>{{housing-token}}</c>, <c>{{welfare-token}}</c>, <c>{{ops-token}}</c>,
/// <c>{{gp-assertion}}</c>, <c>{{gateway}}</c>, <c>{{ops-basic}}</c> and every captured value), sends each request, and
/// checks its answer. The first example that does not answer as written fails with the guide's
/// file and line.
/// </summary>
public sealed partial class GuideRunner(SandboxGatewayApp gateway)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public async Task RunAsync(string guide) => await RunAsync(guide, await File.ReadAllTextAsync(Repository.File(guide)));

    /// <summary>Runs the examples of <paramref name="markdown"/>, reporting failures as lines of <paramref name="guide"/>.</summary>
    public async Task RunAsync(string guide, string markdown)
    {
        var examples = GuideMarkdown.Examples(guide, markdown);
        Assert.True(examples.Count > 0, $"{guide} has no ```http examples.");
        await FillTokensAsync();
        foreach (var example in examples)
        {
            await RunAsync(example);
        }
    }

    private async Task FillTokensAsync()
    {
        _values["gateway"] = gateway.Root.ToString().TrimEnd('/');
        _values["ops-basic"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:" + SandboxGatewayApp.OpsPassword));
        foreach (var (name, client) in new[] { ("gp", DemoClients.Gp), ("housing", DemoClients.Housing), ("welfare", DemoClients.Welfare), ("ops", DemoClients.Operator) })
        {
            _values[name + "-token"] = await DemoClients.TokenAsync(gateway.TokenEndpoint, client);
        }
    }

    private async Task RunAsync(GuideExample example)
    {
        // A fresh assertion per use: the token endpoint refuses a jti it has seen.
        _values["gp-assertion"] = DemoClients.Assertion(DemoClients.Gp, gateway.TokenEndpoint.ToString());
        using var request = new HttpRequestMessage(new HttpMethod(example.Method), new Uri(gateway.Root, Fill(example.Target, example).TrimStart('/')));
        string? contentType = null;
        foreach (var (name, value) in example.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = Fill(value, example);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, Fill(value, example));
            }
        }

        if (example.Body is { } body)
        {
            var bytes = body.StartsWith("< ", StringComparison.Ordinal) && !body.Contains('\n')
                ? await File.ReadAllBytesAsync(Repository.File(body[2..].Trim()))
                : Encoding.UTF8.GetBytes(Fill(body, example));
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? throw Failure(example, "a request with a body needs a Content-Type header."));
        }

        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        var shown = $"{(int)response.StatusCode} {response.ReasonPhrase}\n{answer[..Math.Min(answer.Length, 3000)]}";
        if ((int)response.StatusCode != example.ExpectedStatus)
        {
            throw Failure(example, $"expected status {example.ExpectedStatus}, got {shown}");
        }

        foreach (var (name, value) in example.ExpectedHeaders)
        {
            var expected = Fill(value, example);
            var actual = response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
                : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues) : null;
            if (actual is null || !actual.Contains(expected, StringComparison.OrdinalIgnoreCase))
            {
                throw Failure(example, $"expected header '{name}' containing '{expected}', got '{actual ?? "(none)"}' in {shown}");
            }
        }

        var compact = Whitespace().Replace(answer, "");
        foreach (var fragment in example.ExpectedFragments)
        {
            var expected = Fill(fragment, example);
            if (!compact.Contains(Whitespace().Replace(expected, ""), StringComparison.Ordinal))
            {
                throw Failure(example, $"the answer does not contain {expected}:\n{shown}");
            }
        }

        foreach (var (name, path) in example.Captures)
        {
            _values[name] = Capture(example, path, response, answer);
        }
    }

    /// <summary>
    /// A capture path: <c>header Location</c> for a header's value, or a JSON path of member names
    /// and [index]es (<c>entry[0].resource.id</c>); either may end in <c>after "text"</c> to keep only
    /// what follows the last occurrence of text, and <c>before "text"</c> for what precedes the first.
    /// </summary>
    private static string Capture(GuideExample example, string path, HttpResponseMessage response, string answer)
    {
        var parts = CaptureSyntax().Match(path);
        if (!parts.Success)
        {
            throw Failure(example, $"'{path}' is not a capture path.");
        }

        string value;
        if (parts.Groups["header"].Success)
        {
            var name = parts.Groups["header"].Value;
            value = response.Headers.TryGetValues(name, out var values) ? values.First()
                : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.First()
                : throw Failure(example, $"capture: the answer has no '{name}' header.");
        }
        else
        {
            using var document = JsonDocument.Parse(answer);
            var element = document.RootElement;
            foreach (Match step in PathStep().Matches(parts.Groups["json"].Value))
            {
                var found = step.Groups["index"].Success
                    ? element.ValueKind == JsonValueKind.Array && element.GetArrayLength() > int.Parse(step.Groups["index"].Value)
                    : element.ValueKind == JsonValueKind.Object && element.TryGetProperty(step.Groups["name"].Value, out _);
                if (!found)
                {
                    throw Failure(example, $"capture: the answer has nothing at '{parts.Groups["json"].Value}' (stopped at '{step.Value}'):\n{answer[..Math.Min(answer.Length, 2000)]}");
                }

                element = step.Groups["index"].Success ? element[int.Parse(step.Groups["index"].Value)] : element.GetProperty(step.Groups["name"].Value);
            }

            value = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        }

        foreach (Capture cut in parts.Groups["cut"].Captures)
        {
            var text = cut.Value;
            var marker = text[(text.IndexOf('"') + 1)..^1];
            var at = text.StartsWith("after", StringComparison.Ordinal) ? value.LastIndexOf(marker, StringComparison.Ordinal) : value.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                throw Failure(example, $"capture: '{value}' does not contain \"{marker}\".");
            }

            value = text.StartsWith("after", StringComparison.Ordinal) ? value[(at + marker.Length)..] : value[..at];
        }

        return value;
    }

    private string Fill(string text, GuideExample example) => Placeholder().Replace(text, m =>
        _values.TryGetValue(m.Groups["name"].Value, out var value) ? value : throw Failure(example, $"{{{{{m.Groups["name"].Value}}}}} has no value: no earlier example captured it."));

    private static GuideExampleFailedException Failure(GuideExample example, string message) => new GuideExampleFailedException($"{example.Where} ({example.Method} {example.Target}): {message}");

    [GeneratedRegex(@"\{\{(?<name>[a-z0-9-]+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(?:header\s+(?<header>[A-Za-z0-9-]+)|(?<json>[A-Za-z0-9_.\[\]]+))(?:\s+(?<cut>(?:after|before)\s+""[^""]+""))*$")]
    private static partial Regex CaptureSyntax();

    [GeneratedRegex(@"(?<name>[A-Za-z0-9_]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();
}

/// <summary>A guide's example did not answer as the guide says; the message starts with the guide's file and line.</summary>
public sealed class GuideExampleFailedException(string message) : Exception(message);
