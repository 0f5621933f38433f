namespace Gateway.Testing;

/// <summary>Files of the repository the tests run from (the folder holding InteropGateway.sln), for tests that read the docs or the demo configuration.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !System.IO.File.Exists(Path.Combine(folder.FullName, "InteropGateway.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("InteropGateway.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootFolder.Value;

    /// <summary>A path relative to the repository root, e.g. "docs/guide-operators.md" or "../shared/samples/gp/referral-transaction.json".</summary>
    public static string File(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    /// <summary>The demo partners file the sandbox starts with.</summary>
    public static string DemoPartnersFile => File("src/Gateway.Api/Demo/partners.json");

    /// <summary>The private keys of the demo clients (DEMO ONLY).</summary>
    public static string DemoKeysFile => File("src/Gateway.Api/Demo/demo-client-keys.private.json");

    /// <summary>A build output of a project under src/, in the configuration and framework the tests were built in (tests/X/bin/Debug/net10.0 → src/Y/bin/Debug/net10.0).</summary>
    public static string BuiltFile(string project, string fileName)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(Root, "src", project, "bin", testOutput.Parent!.Name, testOutput.Name, fileName);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first: {project}'s {fileName} is missing.", path);
    }
}
