using System.Globalization;

namespace Gateway.LoadDriver;

/// <summary>
/// CPU time the gateway and its PostgreSQL (the postmaster and every backend) used, from /proc
/// (Linux). On a shared machine CPU per operation moves far less with the load than wall time does,
/// so the driver reports it beside throughput.
/// </summary>
public sealed class ProcessCpu(int? gatewayPid, string? postgresFolder)
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux the driver runs on

    // PostgreSQL: the postmaster with the children it has reaped (cutime, cstime: autovacuum workers,
    // ended backends), plus its live children, so time does not vanish when a child exits.
    public (TimeSpan Gateway, TimeSpan Postgres) Read() =>
        (Seconds(gatewayPid is { } pid ? [pid] : [], withReaped: false), Seconds(PostgresPids(), withReaped: true));

    private List<int> PostgresPids()
    {
        var pidFile = postgresFolder is null ? null : Path.Combine(postgresFolder, "data", "postmaster.pid");
        if (pidFile is null || !File.Exists(pidFile))
        {
            return [];
        }

        var postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        var children = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(pid => Stat(pid) is { } stat && stat.ParentPid == postmaster);
        return children.Prepend(postmaster).ToList();
    }

    // The postmaster comes first in PostgresPids: only its reaped children are counted, so no child is counted twice.
    private static TimeSpan Seconds(IReadOnlyList<int> pids, bool withReaped) =>
        TimeSpan.FromSeconds(pids.Select((pid, i) => Stat(pid) is { } stat ? stat.Ticks + (withReaped && i == 0 ? stat.ReapedTicks : 0) : 0).Sum() / TicksPerSecond);

    // /proc/<pid>/stat: "pid (comm) state ppid ..."; utime and stime are fields 14 and 15. comm may hold spaces, so split after the last ')'.
    private static (int ParentPid, long Ticks, long ReapedTicks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), Field(11) + Field(12), Field(13) + Field(14));
        }
        catch (IOException)
        {
            return null; // the process ended between listing and reading
        }
    }
}
