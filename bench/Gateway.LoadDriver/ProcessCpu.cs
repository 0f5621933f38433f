using System.Globalization;

namespace Gateway.LoadDriver;

/// <summary>A process's CPU time (user + system) from /proc/&lt;pid&gt;/stat (Linux).</summary>
public static class ProcessCpu
{
    // USER_HZ: the unit of utime and stime; 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan? Read(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat"))
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces; count fields after its ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    public static TimeSpan? PerRequest(int? pid, TimeSpan? before, long requests) =>
        before is { } start && Read(pid) is { } end && requests > 0 ? (end - start) / requests : null;
}
