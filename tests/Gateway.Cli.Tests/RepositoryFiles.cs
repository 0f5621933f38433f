namespace Gateway.Cli.Tests;

/// <summary>Files of the repository (the demo partners and keys) and the shared samples beside it.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string DemoPartners => Path.Combine(Root, "src", "Gateway.Api", "Demo", "partners.json");

    public static string DemoKeys => Path.Combine(Root, "src", "Gateway.Api", "Demo", "demo-client-keys.private.json");

    public static string Samples => Path.GetFullPath(Path.Combine(Root, "..", "shared", "samples"));

    public static string Sample(string relativePath) => Path.Combine(Samples, relativePath);

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "InteropGateway.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("InteropGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
