using System.Text.RegularExpressions;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// Reads a guide's markdown into its executable parts, as each guide's "How the examples run"
/// section states: ```http blocks are requests, the ```http-response block that follows each is
/// what must come back, and <c>&lt;!-- capture name: path --&gt;</c> comments after it keep a value of
/// that answer for <c>{{name}}</c> in later examples.
/// </summary>
public static partial class GuideMarkdown
{
    public static IReadOnlyList<GuideBlock> Blocks(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var blocks = new List<GuideBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var capture = CaptureComment().Match(lines[i]);
            if (capture.Success)
            {
                blocks.Add(new GuideBlock("capture", [capture.Groups["name"].Value, capture.Groups["path"].Value.Trim()], i + 1));
                continue;
            }

            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length == 3)
            {
                continue;
            }

            var info = lines[i][3..].Trim();
            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            blocks.Add(new GuideBlock(info, lines[start..Math.Min(end, lines.Length)], start + 1));
            i = end;
        }

        return blocks;
    }

    /// <summary>The guide's requests in order; a request without its response block, or a response or capture without a request, is an error naming the line.</summary>
    public static IReadOnlyList<GuideExample> Examples(string file, string markdown)
    {
        var examples = new List<GuideExample>();
        GuideBlock? request = null;
        GuideBlock? response = null;
        var captures = new List<KeyValuePair<string, string>>();

        void Finish()
        {
            if (request is null)
            {
                return;
            }

            examples.Add(Example(file, request, response ?? throw new FormatException($"{file}:{request.Line}: a ```http request needs a ```http-response block after it.") , captures));
            request = null;
            response = null;
            captures = [];
        }

        foreach (var block in Blocks(markdown))
        {
            switch (block.Info)
            {
                case "http":
                    Finish();
                    request = block;
                    break;
                case "http-response":
                    if (request is null || response is not null)
                    {
                        throw new FormatException($"{file}:{block.Line}: an ```http-response block must follow its ```http request.");
                    }

                    response = block;
                    break;
                case "capture":
                    if (response is null)
                    {
                        throw new FormatException($"{file}:{block.Line}: a capture comment must come after an ```http-response block.");
                    }

                    captures.Add(new(block.Lines[0], block.Lines[1]));
                    break;
            }
        }

        Finish();
        return examples;
    }

    private static GuideExample Example(string file, GuideBlock request, GuideBlock response, List<KeyValuePair<string, string>> captures)
    {
        var requestLine = RequestLine().Match(request.Lines.Count > 0 ? request.Lines[0] : "");
        if (!requestLine.Success)
        {
            throw new FormatException($"{file}:{request.Line}: the first line of a ```http block must be 'METHOD /path', e.g. 'GET /fhir/metadata'.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        var index = 1;
        for (; index < request.Lines.Count && request.Lines[index].Length > 0; index++)
        {
            var header = Header().Match(request.Lines[index]);
            if (!header.Success)
            {
                throw new FormatException($"{file}:{request.Line + index}: '{request.Lines[index]}' is not a header; put a blank line before the body.");
            }

            headers.Add(new(header.Groups["name"].Value, header.Groups["value"].Value));
        }

        var body = index < request.Lines.Count ? string.Join('\n', request.Lines.Skip(index + 1)).Trim() : "";

        var status = StatusLine().Match(response.Lines.Count > 0 ? response.Lines[0] : "");
        if (!status.Success)
        {
            throw new FormatException($"{file}:{response.Line}: the first line of a ```http-response block must be a status line, e.g. 'HTTP/1.1 200 OK'.");
        }

        var expectedHeaders = new List<KeyValuePair<string, string>>();
        var fragments = new List<string>();
        foreach (var line in response.Lines.Skip(1).Where(l => l.Trim().Length > 0))
        {
            var header = Header().Match(line);
            if (header.Success)
            {
                expectedHeaders.Add(new(header.Groups["name"].Value, header.Groups["value"].Value));
            }
            else
            {
                fragments.Add(line.Trim());
            }
        }

        return new GuideExample(file, request.Line, requestLine.Groups["method"].Value, requestLine.Groups["target"].Value,
            headers, body.Length == 0 ? null : body, int.Parse(status.Groups["status"].Value), expectedHeaders, fragments, captures);
    }

    [GeneratedRegex(@"^<!--\s*capture\s+(?<name>[a-z0-9-]+)\s*:\s*(?<path>.+?)\s*-->\s*$")]
    private static partial Regex CaptureComment();

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE)\s+(?<target>/\S*)(\s+HTTP/1\.1)?\s*$")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9-]*):\s(?<value>.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^HTTP/1\.1\s+(?<status>\d{3})\b")]
    private static partial Regex StatusLine();
}
