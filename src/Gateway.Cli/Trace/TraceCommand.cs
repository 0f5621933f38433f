using System.CommandLine;

namespace Gateway.Cli.Trace;

/// <summary><c>gateway trace &lt;taskId&gt;</c>: the whole history of one referral (placeholder until the console's timeline API is merged).</summary>
public static class TraceCommand
{
    public static Command Create(CliConsole console)
    {
        var task = new Argument<string>("taskId") { Description = "The referral's Task id" };
        var command = new Command("trace", "Print the whole history of one referral") { task };
        command.SetAction((parse, ct) => GatewayCli.Guarded(console, () => throw new CliException("trace is not built yet.")));
        return command;
    }
}
