using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Audit;

/// <summary>
/// A gateway killed (SIGKILL) right after answering has lost none of its AuditEvents: each was
/// committed before its response left (SPEC §8), so a restarted gateway shows every one.
/// </summary>
public sealed class AuditCrashTests
{
    private const int Readers = 8;
    private const int Answered = 80;

    [Fact]
    public async System.Threading.Tasks.Task Every_answered_read_is_in_the_trail_after_a_kill()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(AuditCrashTests));
        var partners = new TestPartners();
        var partnersFile = Path.Combine(Path.GetTempPath(), $"gateway-partners-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(partnersFile, partners.Json);
        string patientId;
        var answered = 0;

        await using (var gateway = await GatewayProcess.StartAsync(connectionString, partnersFile))
        {
            using var gp = await Client(gateway, partners, TestPartners.Gp, "system/*.cruds");
            patientId = (await gp.CreateAsync(Resources.Patient())).Id;
            using var killed = new CancellationTokenSource();
            var readers = Enumerable.Range(0, Readers).Select(_ => System.Threading.Tasks.Task.Run(async () =>
            {
                try
                {
                    while (!killed.IsCancellationRequested)
                    {
                        using var response = await gp.GetAsync($"Patient/{patientId}", killed.Token);
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                        // Counted once the answer is here: the kill comes right after the last one counted.
                        if (Interlocked.Increment(ref answered) == Answered)
                        {
                            gateway.Kill();
                            await killed.CancelAsync();
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException && Volatile.Read(ref answered) >= Answered)
                {
                    // In flight when the process died: never answered, so not counted.
                }
            })).ToList();
            await System.Threading.Tasks.Task.WhenAll(readers);
        }

        await using var restarted = await GatewayProcess.StartAsync(connectionString, partnersFile);
        using var ops = await Client(restarted, partners, TestPartners.Operator, "system/AuditEvent.rs");
        var trail = await ops.SearchAsync($"AuditEvent?entity=Patient/{patientId}&subtype=read&_count=1000");
        // At least: a read in flight at the kill may have had its AuditEvent committed without being answered.
        Assert.True(trail.Entry.Count >= answered, $"{answered} reads were answered before the kill, {trail.Entry.Count} of them are in the audit trail.");
    }

    private static async Task<HttpClient> Client(GatewayProcess gateway, TestPartners partners, string partner, string scope)
    {
        var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", await partners.RequestTokenAsync(gateway.TokenEndpoint, partner + "-client", scope));
        return client;
    }
}
