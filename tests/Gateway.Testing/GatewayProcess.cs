using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Jobs;

namespace Gateway.Testing;

/// <summary>
/// The gateway as a separate OS process (the built Gateway.Api.dll), for tests that must kill it
/// the way a crash or an operator's kill -9 would. Kestrel picks its own port (port 0) and the
/// process's "Now listening on" line says which: a port chosen here and released before the child
/// binds it can be taken by another test's process in between, and the child then dies at start.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "Now listening on: ";
    private const int OutputLinesKept = 40;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lastOutput = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process)
    {
        _process = process;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri TokenEndpoint => new(BaseAddress, "../auth/token");

    /// <summary>Starts the gateway; <paramref name="settings"/> are further configuration (e.g. <c>Gateway:Role</c> worker, which serves no API and is waited for on /health/live).</summary>
    public static async Task<GatewayProcess> StartAsync(string connectionString, string partnersFile, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        var extra = (settings ?? []).ToList();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { GatewayDll(), "--urls", "http://127.0.0.1:0", $"--ConnectionStrings:Gateway={connectionString}", $"--Gateway:PartnersFile={partnersFile}", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            "--environment", "Testing", $"--{Gateway.Fhir.Subscriptions.EndpointGuard.AllowPrivateKey}=true" }.Concat(extra.Select(s => $"--{s.Key}={s.Value}")))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var gateway = new GatewayProcess(process);
        process.OutputDataReceived += (_, line) => gateway.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => gateway.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var servesApi = Gateway.Jobs.GatewayRoles.Parse(extra.LastOrDefault(s => s.Key == Gateway.Jobs.GatewayRoles.Key).Value).ServesApi();
        try
        {
            await gateway.WaitUntilServingAsync(servesApi ? "metadata" : "../health/live");
        }
        catch
        {
            // A process that never served must not live on to run jobs behind the next test's back.
            await gateway.DisposeAsync();
            throw;
        }
        return gateway;
    }

    /// <summary>Ends the process at once, as kill -9 would, and waits until it is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    // Generous: on a loaded two-core CI machine a cold start can take most of a minute.
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(120);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        var at = line.IndexOf(ListeningPrefix, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + ListeningPrefix.Length)..].Trim(), UriKind.Absolute, out var listening))
        {
            _listening.TrySetResult(listening);
        }

        _lastOutput.Enqueue(line);
        while (_lastOutput.Count > OutputLinesKept && _lastOutput.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilServingAsync(string probe)
    {
        var deadline = Stopwatch.StartNew();
        while (!_listening.Task.IsCompleted && deadline.Elapsed < StartPatience)
        {
            ThrowIfExited();
            await Task.Delay(100);
        }

        if (!_listening.Task.IsCompleted)
        {
            throw new TimeoutException($"The gateway process did not start listening within {StartPatience.TotalSeconds} seconds.{OutputTail()}");
        }

        BaseAddress = new Uri(await _listening.Task, "fhir/");
        using var client = new HttpClient { BaseAddress = BaseAddress };
        while (deadline.Elapsed < StartPatience)
        {
            ThrowIfExited();

            try
            {
                using var response = await client.GetAsync(probe);
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

        throw new TimeoutException($"The gateway process did not answer {probe} within {StartPatience.TotalSeconds} seconds.{OutputTail()}");
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            _process.WaitForExit(); // drains the redirected output into the tail
            throw new InvalidOperationException($"The gateway process exited with code {_process.ExitCode} before serving.{OutputTail()}");
        }
    }

    private string OutputTail() =>
        _lastOutput.IsEmpty ? " It printed nothing." : $" Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _lastOutput)}";

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
}
