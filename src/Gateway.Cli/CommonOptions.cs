using System.CommandLine;

namespace Gateway.Cli;

/// <summary>Options several commands share, with the sandbox's defaults.</summary>
public static class CommonOptions
{
    /// <summary>The demo keys, found from the repository root as the README's walkthrough runs.</summary>
    public const string DemoKeys = "src/Gateway.Api/Demo/demo-client-keys.private.json";

    public static Option<string?> Gateway() => new("--gateway")
    {
        Description = $"The gateway's base URL (a FHIR base ending in /fhir works too; default: ${SandboxDiscovery.UrlVariable}, " +
            $"else the running sandbox's {SandboxDiscovery.SandboxFilePath}, else {GatewayConnection.DefaultUrl})",
    };

    public static Option<FileInfo?> Keys() => new("--keys")
    {
        Description = $"JSON file of private JWKS by client id (default: {DemoKeys}, the sandbox's demo keys)",
    };

    public static FileInfo KeysFile(FileInfo? given)
    {
        if (given is not null)
        {
            return given;
        }

        var demo = new FileInfo(DemoKeys);
        return demo.Exists ? demo : throw new CliException($"Say which private keys to sign with: --keys <file> (the demo keys are {DemoKeys}, from the repository root).");
    }
}
