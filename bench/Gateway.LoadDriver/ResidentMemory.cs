using System.Globalization;

namespace Gateway.LoadDriver;

/// <summary>The gateway's resident memory now and at its peak, from /proc (Linux).</summary>
public static class ResidentMemory
{
    public static string Describe(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/status"))
        {
            return "n/a";
        }

        var lines = File.ReadAllLines($"/proc/{pid}/status");
        return $"{Megabytes(lines, "VmRSS:")} (peak {Megabytes(lines, "VmHWM:")})";
    }

    private static string Megabytes(string[] lines, string field) =>
        lines.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) is { } line
            ? (long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024).ToString(CultureInfo.InvariantCulture)
            : "?";
}
