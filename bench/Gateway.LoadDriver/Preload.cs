using System.Diagnostics;

namespace Gateway.LoadDriver;

/// <summary>Fills the store with referrals 1..count of a run (GP transaction bundles at the given concurrency), and reports the rate.</summary>
public static class Preload
{
    public static async Task<LoadResult> RunAsync(Request bundle, long count, int concurrency, int? gatewayPid, CancellationToken ct)
    {
        var cpuBefore = ProcessCpu.Read(gatewayPid);
        long next = 0;
        long failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n <= count; n = Interlocked.Increment(ref next))
            {
                if (!await bundle(n, ct))
                {
                    Interlocked.Increment(ref failed);
                }

                if (n % 10_000 == 0)
                {
                    Console.Error.WriteLine($"{n} referrals after {clock.Elapsed.TotalSeconds:F0} s");
                }
            }
        }, ct)));
        return new LoadResult("preload (referral bundles)", concurrency, clock.Elapsed, count - failed, failed, (count - failed) / clock.Elapsed.TotalSeconds, double.NaN, double.NaN, double.NaN,
            ProcessCpu.PerRequest(gatewayPid, cpuBefore, count));
    }
}
