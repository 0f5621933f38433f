namespace Gateway.Cli;

/// <summary>Where a command writes: standard output for results, standard error for messages and the progress bar.</summary>
/// <param name="ShowProgress">Whether to draw progress bars: only when standard error is a terminal, so logs and pipes stay clean.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool ShowProgress)
{
    public static CliConsole System => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
