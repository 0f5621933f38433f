using System.Diagnostics;

namespace Gateway.Testing;

/// <summary>
/// Removes the clusters of test processes that were killed (a timed-out or interrupted run never
/// reaches its exit handler): each is a few hundred megabytes, and they filled a developer's disk.
/// A folder is stale when the test process named in it is gone; its postmaster, if still running,
/// is stopped first.
/// </summary>
internal static class StaleTestClusters
{
    public const string Prefix = "gateway-tests-";

    public static void Remove(string parent)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(folder)[Prefix.Length..], out var owner) || IsRunning(owner))
            {
                continue;
            }

            try
            {
                StopPostmaster(folder);
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another run is removing it, or it is not ours to remove: leave it.
            }
        }
    }

    private static void StopPostmaster(string folder)
    {
        var pidFile = Path.Combine(folder, "data", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var postmaster) && IsRunning(postmaster))
        {
            using var process = Process.GetProcessById(postmaster);
            if (process.ProcessName != "postgres")
            {
                return; // the number went to another process since
            }

            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
