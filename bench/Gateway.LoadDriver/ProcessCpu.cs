using System.Globalization;

namespace Gateway.LoadDriver;

/// <summary>
/// CPU seconds used so far, from /proc (Linux): the gateway's process, and the embedded
/// PostgreSQL's postmaster with its backends (a backend that has exited is in the postmaster's
/// children's times). Null where /proc or the process is not there.
/// </summary>
public static class ProcessCpu
{
    // USER_HZ: the unit of the times in /proc/<pid>/stat; 100 on Linux x86-64.
    private const double TicksPerSecond = 100;

    public static double? Gateway(int? pid) => pid is { } p && Fields(p) is { } f ? (f.UserTicks + f.SystemTicks) / TicksPerSecond : null;

    /// <summary>The postmaster (line 1 of the cluster's postmaster.pid), its reaped children, and its live children.</summary>
    public static double? Postgres(string postgresFolder)
    {
        var pidFile = Path.Combine(postgresFolder, "data", "postmaster.pid");
        if (!File.Exists(pidFile) || Fields(int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture)) is not { } postmaster)
        {
            return null;
        }

        var ticks = postmaster.UserTicks + postmaster.SystemTicks + postmaster.ChildUserTicks + postmaster.ChildSystemTicks;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out var pid) && Fields(pid) is { } child && child.ParentPid == postmaster.Pid)
            {
                ticks += child.UserTicks + child.SystemTicks + child.ChildUserTicks + child.ChildSystemTicks;
            }
        }

        return ticks / TicksPerSecond;
    }

    private sealed record Stat(int Pid, int ParentPid, long UserTicks, long SystemTicks, long ChildUserTicks, long ChildSystemTicks);

    private static Stat? Fields(int pid)
    {
        string line;
        try
        {
            line = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // After the command name in parentheses: state, ppid, …; utime is field 14 of the line, so 11 here.
        var rest = line[(line.LastIndexOf(')') + 2)..].Split(' ');
        long At(int i) => long.Parse(rest[i], CultureInfo.InvariantCulture);
        return new Stat(pid, (int)At(1), At(11), At(12), At(13), At(14));
    }

    /// <summary>The 1, 5 and 15 minute load averages, as <c>uptime</c> gives them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
