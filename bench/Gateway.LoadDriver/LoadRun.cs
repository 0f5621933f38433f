using System.Diagnostics;

namespace Gateway.LoadDriver;

/// <summary>What one request of a scenario did: whether it got the answer it wanted.</summary>
public delegate Task<bool> Request(long sequence, CancellationToken ct);

/// <summary>The figures of one run: throughput over the measured window and latency percentiles of the successful requests.</summary>
/// <param name="GatewayCpuPerRequest">
/// The gateway's CPU time (user + system) over the whole run divided by every request sent, the
/// warm-up's too; null without --gateway-pid.
/// </param>
public sealed record LoadResult(string Scenario, int Concurrency, TimeSpan Window, long Succeeded, long Failed, double PerSecond, double P50, double P95, double P99, TimeSpan? GatewayCpuPerRequest = null);

/// <summary>
/// Runs a scenario with a fixed number of concurrent clients: a warm-up whose requests are not
/// counted, then a measured window; each client sends its next request when the last one is answered.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadResult> RunAsync(string scenario, Request request, int concurrency, TimeSpan warmup, TimeSpan window, int? gatewayPid, CancellationToken ct)
    {
        long sequence = 0;
        var cpuBefore = ProcessCpu.Read(gatewayPid);
        var measuring = false;
        var latencies = new List<double>[concurrency];
        var failed = new long[concurrency];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        async Task Client(int client)
        {
            latencies[client] = new List<double>(100_000);
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await request(Interlocked.Increment(ref sequence), stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                if (Volatile.Read(ref measuring))
                {
                    if (ok)
                    {
                        latencies[client].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        failed[client]++;
                    }
                }
            }
        }

        var clients = Enumerable.Range(0, concurrency).Select(c => Task.Run(() => Client(c), CancellationToken.None)).ToList();
        await Task.Delay(warmup, ct);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window, ct);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        var cpu = ProcessCpu.PerRequest(gatewayPid, cpuBefore, Interlocked.Read(ref sequence));

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(scenario, concurrency, elapsed, all.Length, failed.Sum(), all.Length / elapsed.TotalSeconds,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), cpu);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
