using Gateway.Cli;

namespace Gateway.Cli.Tests;

/// <summary>What one run of the <c>gateway</c> tool printed and how it ended.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the tool in-process through its entry point, as a shell would, with the output captured.</summary>
    /// <param name="terminal">Whether standard error counts as a terminal (progress bars are drawn only then).</param>
    public static async Task<CliRun> RunAsync(string[] args, bool terminal = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GatewayCli.RunAsync(args, new CliConsole(output, error, terminal));
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}{Output}{Environment.NewLine}stderr: {Error}";
}
