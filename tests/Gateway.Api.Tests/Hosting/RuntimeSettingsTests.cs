using System.Runtime;
using System.Text.Json;

namespace Gateway.Api.Tests.Hosting;

/// <summary>
/// The gateway in the tests runs in the test process, so the runtime settings a user's
/// `dotnet run --project src/Gateway.Api` gets (its runtimeconfig.json, from src/Gateway.Api/Runtime.props)
/// must be the test process's too: otherwise the tests run another collector than the product.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_tests_run_the_gateway_with_its_own_runtime_settings()
    {
        var settings = GatewaySettings();

        Assert.NotEmpty(settings);
        foreach (var (name, value) in settings)
        {
            Assert.True(value == Convert.ToString(AppContext.GetData(name), System.Globalization.CultureInfo.InvariantCulture)?.ToLowerInvariant(),
                $"{name} is {value} for the gateway and {AppContext.GetData(name) ?? "unset"} in the tests.");
        }
    }

    [Fact]
    public void The_gateway_collects_without_a_background_collector()
    {
        // Issue 18: the background GC thread cost more of a wor-export row than it saved (docs/performance.md).
        Assert.Equal("false", GatewaySettings()["System.GC.Concurrent"]);
        Assert.False(GCSettings.IsServerGC);
        Assert.Equal(GCLatencyMode.Batch, GCSettings.LatencyMode);
    }

    // The runtime's settings in the gateway's runtimeconfig.json (copied next to the tests), as lower-case text.
    private static Dictionary<string, string> GatewaySettings()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Gateway.Api.runtimeconfig.json")));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").EnumerateObject()
            .Where(p => p.Name.StartsWith("System.GC.", StringComparison.Ordinal)
                || p.Name.StartsWith("System.Runtime.TieredPGO", StringComparison.Ordinal)
                || p.Name.StartsWith("System.Threading.ThreadPool.", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Value.ToString().ToLowerInvariant(), StringComparer.Ordinal);
    }
}
