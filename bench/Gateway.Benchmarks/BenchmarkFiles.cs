namespace Gateway.Benchmarks;

/// <summary>Where the benchmarks find the repository (for profiles/) and the shared samples.</summary>
internal static class BenchmarkFiles
{
    public static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "InteropGateway.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }
}
