using System.CommandLine;
using Gateway.Cli.Send;
using Gateway.Cli.Trace;
using Gateway.Cli.Validate;

namespace Gateway.Cli;

/// <summary>The <c>gateway</c> tool's commands, runnable in-process with any output (the tests capture it).</summary>
public static class GatewayCli
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("Interop Gateway command-line tool: keys, tokens, sending and validating files, tracing a referral.");
        root.Subcommands.Add(KeysCommand.Create(console));
        root.Subcommands.Add(TokenCommand.Create(console));
        root.Subcommands.Add(SendCommand.Create(console));
        root.Subcommands.Add(ValidateCommand.Create(console));
        root.Subcommands.Add(TraceCommand.Create(console));
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, ct);
    }

    /// <summary>Runs a command's work, turning the problems a user can fix into one readable line and an exit code.</summary>
    internal static async Task<int> Guarded(CliConsole console, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (CliException problem)
        {
            await console.Error.WriteLineAsync(problem.Message);
            return problem.ExitCode;
        }
    }
}
