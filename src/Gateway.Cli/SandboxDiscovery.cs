using System.Text.Json;

namespace Gateway.Cli;

/// <summary>
/// Where the gateway is when <c>--gateway</c> is not given: the <c>GATEWAY_URL</c> environment
/// variable, else the file a running sandbox writes in its data folder
/// (<c>src/Gateway.Api/.gateway/sandbox.json</c>, looked for from the current folder upwards),
/// else <see cref="GatewayConnection.DefaultUrl"/>. The sandbox file also holds the operator's
/// development password, when the sandbox made one.
/// </summary>
public sealed record SandboxDiscovery(string Url, string Source, string? Operator, string? OperatorPassword)
{
    public const string UrlVariable = "GATEWAY_URL";
    public const string SandboxFilePath = "src/Gateway.Api/.gateway/sandbox.json";

    public static SandboxDiscovery Find(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return FromFile() is { } sandbox && SameGateway(sandbox.Url, given)
                ? sandbox with { Url = given, Source = "--gateway" }
                : new SandboxDiscovery(given, "--gateway", null, null);
        }

        if (Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } variable)
        {
            return FromFile() is { } sandbox && SameGateway(sandbox.Url, variable)
                ? sandbox with { Url = variable, Source = UrlVariable }
                : new SandboxDiscovery(variable, UrlVariable, null, null);
        }

        return FromFile() ?? new SandboxDiscovery(GatewayConnection.DefaultUrl, "the default", null, null);
    }

    private static SandboxDiscovery? FromFile()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, SandboxFilePath);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(path));
                var root = json.RootElement;
                return root.TryGetProperty("url", out var url) && url.GetString() is { Length: > 0 } found
                    ? new SandboxDiscovery(found, path, Text(root, "operator"), Text(root, "operatorPassword"))
                    : null;
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        return null;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool SameGateway(string a, string b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
        && x.Port == y.Port && (x.Host == y.Host || (x.IsLoopback && y.IsLoopback));
}
