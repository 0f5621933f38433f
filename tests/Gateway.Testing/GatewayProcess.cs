using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Testing;

/// <summary>
/// The gateway as a separate OS process (the built Gateway.Api.dll), for tests that must kill it
/// the way a crash or an operator's kill -9 would.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri TokenEndpoint => new(BaseAddress, "../auth/token");

    /// <param name="settings">More command-line settings, e.g. "--Gateway:Role=Api".</param>
    public static async Task<GatewayProcess> StartAsync(string connectionString, string partnersFile, params string[] settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = [GatewayDll(), "--urls", $"http://127.0.0.1:{port}", $"--ConnectionStrings:Gateway={connectionString}", $"--Gateway:PartnersFile={partnersFile}", "--Logging:LogLevel:Default=Warning", ..settings];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/fhir/"));
        await gateway.WaitUntilServingAsync();
        return gateway;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway process exited with code {_process.ExitCode} before serving.");
            }

            try
            {
                using var response = await client.GetAsync("metadata");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The gateway process did not serve /fhir/metadata within 60 seconds.");
    }

    // The test assembly sits in tests/<project>/bin/<configuration>/<tfm>/; the host's build output mirrors it under src/.
    private static string GatewayDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "InteropGateway.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("InteropGateway.sln not found above " + testOutput.FullName),
            "src", "Gateway.Api", "bin", configuration, tfm, "Gateway.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: the gateway host is missing.", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
