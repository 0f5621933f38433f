using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// Runs a guide's ```bash steps as a reader pastes them: one bash session at the repository root,
/// in order, with <c>GATEWAY_URL</c> pointing at a gateway on a real loopback port. The guides are
/// plain curl with a token from the command-line tool (chosen over .http files: a reader pastes
/// them into any shell, the tool signs the client assertion that an .http file cannot, and the same
/// text is what runs here). The reader's <c>dotnet run --project src/Gateway.Cli --</c> runs the
/// tool built with the tests, so it is not rebuilt per step. The first command that fails, or the
/// first step that does not print what its ```http-response or ```output block says, fails the
/// run with the guide's file and line.
/// </summary>
public sealed partial class GuideShell(Uri gatewayRoot)
{
    private const string StepEnd = "@@guide-step-end@@";
    private const string Failed = "@@guide-failed ";
    private const string VariableMark = "@@guide-variable ";

    /// <summary>Further environment for the session, e.g. <c>GATEWAY_OPS_PASSWORD</c>.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(5);

    public async Task<string> RunAsync(string guide) => await RunAsync(guide, await File.ReadAllTextAsync(Repository.File(guide)));

    /// <summary>Runs the steps of <paramref name="markdown"/>, reporting failures as lines of <paramref name="guide"/>; returns everything the session printed.</summary>
    public async Task<string> RunAsync(string guide, string markdown)
    {
        var steps = GuideMarkdown.Steps(guide, markdown);
        Assert.True(steps.Count > 0, $"{guide} has no ```{GuideMarkdown.Shell} steps.");
        var (script, guideLines) = Script(steps);
        var path = Path.Combine(Path.GetTempPath(), $"guide-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var (output, errors) = await RunBashAsync(path);
            Check(guide, steps, guideLines, output, errors);
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The session's script, and for each of its lines the guide line it came from (0 for the harness's own).</summary>
    private static (string Script, List<int> GuideLines) Script(IReadOnlyList<GuideStep> steps)
    {
        var script = new StringBuilder();
        var guideLines = new List<int> { 0 };
        void Add(string line, int guideLine)
        {
            script.Append(line).Append('\n');
            guideLines.Add(guideLine);
        }

        // What the reader's terminal shows, both streams in order (guides show headers with curl -D /dev/stderr);
        // stop at the first failing command, saying where; the reader's `dotnet run` of the CLI runs the built tool.
        Add("exec 2>&1", 0);
        Add($"trap 'printf \"\\n{Failed}%s %s@@\\n\" \"$LINENO\" \"$BASH_COMMAND\"; exit 97' ERR", 0);
        Add("dotnet() { if [ \"$1 $2 $3 $4\" = 'run --project src/Gateway.Cli --' ]; then shift 4; command dotnet \"$GUIDE_CLI\" \"$@\"; else command dotnet \"$@\"; fi; }", 0);
        foreach (var step in steps)
        {
            for (var i = 0; i < step.Block.Lines.Count; i++)
            {
                Add(step.Block.Lines[i], step.Block.Line + i);
            }

            foreach (var name in step.Expected?.Variables ?? [])
            {
                Add($"printf '\\n{VariableMark}{name}=%s@@\\n' \"${{{name}}}\"", 0);
            }

            Add($"printf '\\n{StepEnd}\\n'", 0);
        }

        return (script.ToString(), guideLines);
    }

    private static void Check(string guide, IReadOnlyList<GuideStep> steps, List<int> guideLines, string output, string errors)
    {
        var parts = output.Split(StepEnd);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var printed = i < parts.Length ? parts[i] : "";
            var failed = FailedCommand().Match(printed);
            if (failed.Success || i >= parts.Length - 1)
            {
                var line = failed.Success && int.TryParse(failed.Groups["line"].Value, out var scriptLine) && scriptLine < guideLines.Count && guideLines[scriptLine] > 0
                    ? guideLines[scriptLine] : step.Block.Line;
                var what = failed.Success ? $"`{failed.Groups["command"].Value}` failed" : "the session ended here";
                throw new GuideExampleFailedException($"{guide}:{line}: {what}.{Shown(printed, errors)}");
            }

            foreach (Match variable in VariableLine().Matches(printed))
            {
                variables[variable.Groups["name"].Value] = variable.Groups["value"].Value;
            }

            var shown = VariableLine().Replace(printed, "");
            if (step.Expected?.Mismatch(shown, variables) is { } mismatch)
            {
                throw new GuideExampleFailedException($"{step.Where}: {mismatch} (as the guide says at line {step.Expected.Line}){Shown(shown, errors)}");
            }
        }
    }

    private static string Shown(string printed, string errors) =>
        $"\n--- the step printed\n{Tail(printed.Trim(), 3000)}" + (errors.Trim().Length > 0 ? $"\n--- bash said\n{Tail(errors.Trim(), 2000)}" : "");

    private static string Tail(string text, int length) => text.Length <= length ? text : "…" + text[^length..];

    private async Task<(string Output, string Errors)> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.Environment["GATEWAY_URL"] = gatewayRoot.ToString().TrimEnd('/');
        start.Environment["GUIDE_CLI"] = Repository.BuiltFile("Gateway.Cli", "gateway.dll");
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(Patience);
        try
        {
            await bash.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            await bash.WaitForExitAsync();
            throw new GuideExampleFailedException($"The guide's session did not finish within {Patience.TotalMinutes} minutes.{Shown(Tail(await output, 3000), await errors)}");
        }

        return (await output, await errors);
    }

    [GeneratedRegex($@"{Failed}(?<line>\d+) (?<command>[\s\S]*?)@@")]
    private static partial Regex FailedCommand();

    [GeneratedRegex($@"\n?{VariableMark}(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>[^\n]*)@@\n")]
    private static partial Regex VariableLine();
}

/// <summary>A guide's step did not run or print as the guide says; the message starts with the guide's file and line.</summary>
public sealed class GuideExampleFailedException(string message) : Exception(message);
