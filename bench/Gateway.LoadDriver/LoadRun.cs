using System.Diagnostics;

namespace Gateway.LoadDriver;

/// <summary>What one request of a scenario did: whether it got the answer it wanted.</summary>
public delegate Task<bool> Request(long sequence, CancellationToken ct);

/// <summary>
/// The figures of one run: throughput over the measured window, latency percentiles of the
/// successful requests, and the gateway's and PostgreSQL's CPU milliseconds per request answered in
/// the window (NaN where the driver was not told the process).
/// </summary>
public sealed record LoadResult(string Scenario, int Concurrency, TimeSpan Window, long Succeeded, long Failed, double PerSecond, double P50, double P95, double P99,
    double GatewayCpuMs = double.NaN, double PostgresCpuMs = double.NaN);

/// <summary>
/// Runs a scenario with a fixed number of concurrent clients: a warm-up whose requests are not
/// counted, then a measured window; each client sends its next request when the last one is answered.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadResult> RunAsync(string scenario, Request request, int concurrency, TimeSpan warmup, TimeSpan window, CancellationToken ct, ProcessCpu? cpu = null)
    {
        long sequence = 0;
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
        var cpuBefore = cpu?.Read();
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window, ct);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        var cpuAfter = cpu?.Read();
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var answered = all.Length + failed.Sum();
        double PerRequest(Func<(TimeSpan Gateway, TimeSpan Postgres), TimeSpan> part) =>
            cpuBefore is { } before && cpuAfter is { } after && answered > 0 && part(after) > TimeSpan.Zero
                ? (part(after) - part(before)).TotalMilliseconds / answered
                : double.NaN;
        return new LoadResult(scenario, concurrency, elapsed, all.Length, failed.Sum(), all.Length / elapsed.TotalSeconds,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), PerRequest(c => c.Gateway), PerRequest(c => c.Postgres));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
