using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Api.Demo;

/// <summary>
/// The small file a running sandbox leaves in its data folder (<c>.gateway/sandbox.json</c> under
/// the content root, beside the embedded cluster) so the command-line tool finds it on any port:
/// its root URL and, when the sandbox made one, the operator's development password. Written in
/// Development only, readable by its owner only, removed when the gateway stops.
/// </summary>
public sealed record SandboxFile(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("operator")] string? Operator,
    [property: JsonPropertyName("operatorPassword")] string? OperatorPassword)
{
    public const string FileName = "sandbox.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string PathIn(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Path.Combine(environment.ContentRootPath, ".gateway", FileName);
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // A new file, so the owner-only mode below applies (it is ignored for a file that exists).
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, options);
        JsonSerializer.Serialize(file, this, Options);
    }
}
