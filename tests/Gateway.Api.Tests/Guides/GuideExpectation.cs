using System.Text.RegularExpressions;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// What a guide says a step prints. An ```http-response block: the status line of the last HTTP
/// answer the step printed (curl -i), then headers that answer must have (<c>Name: value</c>, the
/// value contained), then fragments its body must contain. An ```output block: fragments the
/// step's output must contain. Fragments are compared without whitespace; <c>${NAME}</c> in them is
/// the value of that shell variable after the step (an id an earlier step kept, the gateway's URL).
/// </summary>
public sealed partial record GuideExpectation(int Line, int? Status, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<string> Fragments)
{
    /// <summary>The shell variables the expectation names, to be read after its step.</summary>
    public IEnumerable<string> Variables => Headers.Select(h => h.Value).Concat(Fragments)
        .SelectMany(text => Variable().Matches(text).Select(m => m.Groups["name"].Value)).Distinct(StringComparer.Ordinal);

    public static GuideExpectation Parse(string file, GuideBlock block)
    {
        var lines = block.Lines.Where(l => l.Trim().Length > 0).ToList();
        if (block.Info == GuideMarkdown.Output)
        {
            return new GuideExpectation(block.Line, null, [], lines.Select(l => l.Trim()).ToList());
        }

        var status = StatusLine().Match(lines.Count > 0 ? lines[0] : "");
        if (!status.Success)
        {
            throw new FormatException($"{file}:{block.Line}: the first line of an ```http-response block must be a status line, e.g. 'HTTP/1.1 200 OK'.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        var fragments = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var header = Header().Match(line);
            if (header.Success && fragments.Count == 0)
            {
                headers.Add(new(header.Groups["name"].Value, header.Groups["value"].Value));
            }
            else
            {
                fragments.Add(line.Trim());
            }
        }

        return new GuideExpectation(block.Line, int.Parse(status.Groups["status"].Value), headers, fragments);
    }

    /// <summary>Why <paramref name="output"/> is not what the guide says, or null when it is.</summary>
    public string? Mismatch(string output, IReadOnlyDictionary<string, string> variables)
    {
        string Fill(string text) => Variable().Replace(text, m => variables.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Value);

        var body = output;
        if (Status is { } expectedStatus)
        {
            var answer = LastAnswer(output);
            if (answer is null)
            {
                return $"expected an HTTP answer {expectedStatus} (curl -i), but the step printed none.";
            }

            if (answer.Value.Status != expectedStatus)
            {
                return $"expected status {expectedStatus}, got {answer.Value.Status}.";
            }

            foreach (var (name, value) in Headers)
            {
                var expected = Fill(value);
                var actual = answer.Value.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
                if (!actual.Any(a => a.Contains(expected, StringComparison.OrdinalIgnoreCase)))
                {
                    return $"expected header '{name}' containing '{expected}', got '{(actual.Count == 0 ? "(none)" : string.Join(", ", actual))}'.";
                }
            }

            body = answer.Value.Body;
        }

        var compact = Whitespace().Replace(body, "");
        foreach (var fragment in Fragments.Select(Fill))
        {
            if (!compact.Contains(Whitespace().Replace(fragment, ""), StringComparison.Ordinal))
            {
                return $"the {(Status is null ? "output" : "answer")} does not contain {fragment}";
            }
        }

        return null;
    }

    /// <summary>The last answer curl -i printed (after any 100 Continue): its status, headers and what follows them.</summary>
    private static (int Status, List<KeyValuePair<string, string>> Headers, string Body)? LastAnswer(string output)
    {
        var lines = output.Split('\n');
        var start = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var status = StatusLine().Match(lines[i]);
            if (status.Success && status.Groups["status"].Value != "100")
            {
                start = i;
            }
        }

        if (start < 0)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        var index = start + 1;
        for (; index < lines.Length && lines[index].TrimEnd('\r').Length > 0; index++)
        {
            var header = Header().Match(lines[index].TrimEnd('\r'));
            if (header.Success)
            {
                headers.Add(new(header.Groups["name"].Value, header.Groups["value"].Value));
            }
        }

        return (int.Parse(StatusLine().Match(lines[start]).Groups["status"].Value), headers, string.Join('\n', lines.Skip(index + 1)));
    }

    [GeneratedRegex(@"^HTTP/[0-9.]+\s+(?<status>\d{3})\b")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9-]*):\s(?<value>.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
