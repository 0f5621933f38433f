namespace Gateway.Api.Tests.Guides;

/// <summary>
/// Reads a guide's markdown into its executable parts: every ```bash block is a step a reader
/// pastes into a shell at the repository root, and the ```http-response or ```output block right
/// after it (if any) is what that step must print. ```sh blocks (starting the gateway, say) are
/// shown but not run.
/// </summary>
public static class GuideMarkdown
{
    public const string Shell = "bash";
    public const string HttpResponse = "http-response";
    public const string Output = "output";

    public static IReadOnlyList<GuideBlock> Blocks(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var blocks = new List<GuideBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
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

            var content = lines[start..Math.Min(end, lines.Length)];
            blocks.Add(new GuideBlock(info, content, start + 1));
            i = end;
        }

        return blocks;
    }

    /// <summary>The guide's ```bash steps in order, each with the expectation block that follows it; an expectation without a step before it is an error naming the line.</summary>
    public static IReadOnlyList<GuideStep> Steps(string file, string markdown)
    {
        var steps = new List<GuideStep>();
        var blocks = Blocks(markdown);
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.Info is HttpResponse or Output)
            {
                throw new FormatException($"{file}:{block.Line}: an ```{block.Info} block must come right after the ```{Shell} block whose output it shows.");
            }

            if (block.Info != Shell)
            {
                continue;
            }

            var expected = i + 1 < blocks.Count && blocks[i + 1].Info is HttpResponse or Output ? blocks[++i] : null;
            steps.Add(new GuideStep(file, block, expected is null ? null : GuideExpectation.Parse(file, expected)));
        }

        return steps;
    }
}

/// <summary>One ```bash block of a guide and what it must print (null: only that every command in it succeeds).</summary>
public sealed record GuideStep(string File, GuideBlock Block, GuideExpectation? Expected)
{
    public string Where => $"{File}:{Block.Line}";
}
