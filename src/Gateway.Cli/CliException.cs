namespace Gateway.Cli;

/// <summary>
/// A problem the user can fix (a missing file, an unknown file kind, a gateway that does not answer,
/// a refused token), told in one message and ended with an exit code: 2 for these, 1 for a refusal.
/// </summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Usage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The content is invalid, or the gateway refused it (4xx/5xx).</summary>
    public const int Refused = 1;

    /// <summary>The command could not run: a file missing or of an unknown kind, the gateway not reachable.</summary>
    public const int Usage = 2;
}
