namespace Gateway.LoadDriver;

/// <summary>The machine's 1, 5 and 15 minute load averages, as <c>uptime</c> gives them (Linux /proc).</summary>
public static class LoadAverage
{
    public static string Now() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
