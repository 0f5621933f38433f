namespace Gateway.Testing;

/// <summary>The shared sample files (<c>../shared/samples</c> beside the repository), read as the fixtures they are.</summary>
public static class Samples
{
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Folder(), relativePath));

    private static string Folder()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "InteropGateway.sln")))
        {
            root = root.Parent;
        }

        var samples = Path.Combine(root?.FullName ?? throw new InvalidOperationException("InteropGateway.sln not found above " + AppContext.BaseDirectory), "..", "shared", "samples");
        return Directory.Exists(samples) ? Path.GetFullPath(samples) : throw new DirectoryNotFoundException("The shared samples are missing: " + samples);
    }
}
