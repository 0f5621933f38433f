using Gateway.Api.Tests.PartnerSync;
using Gateway.Fhir.Subscriptions;
using Gateway.Testing;

namespace Gateway.Api.Tests.Jobs;

/// <summary>
/// SPEC §2's scale-out: the API in this test process (role api, no Hangfire server) and worker
/// processes (the built gateway, role worker) a test starts and kills, all on one database. The
/// housing provider is pulled from an <see cref="ExportServer"/> and gets its referral/v1 webhooks
/// on <see cref="Receiver"/>. A fetched job whose worker died is taken up again after five seconds.
/// </summary>
public sealed class ScaleOutGateway : GatewayApp
{
    public const string WebhookPath = "housing/referrals";

    private readonly List<GatewayProcess> _workers = [];

    public NotificationReceiver Receiver { get; } = new();

    public ExportServer Export { get; } = new();

    public string PartnersFile { get; } = Path.Combine(Path.GetTempPath(), $"gateway-scale-{Guid.NewGuid():N}.json");

    private string SecretEnv { get; } = $"GATEWAY_TEST_WEBHOOK_SECRET_{Guid.NewGuid():N}";

    protected override TestPartners CreatePartners()
    {
        Environment.SetEnvironmentVariable(SecretEnv, "scale-out webhook secret");
        return new TestPartners(housingPull: Export.Url, housingWebhook: (Receiver.Url(WebhookPath), SecretEnv));
    }

    public override async Task InitializeAsync()
    {
        await Receiver.StartAsync();
        await base.InitializeAsync();
        await File.WriteAllTextAsync(PartnersFile, Partners.Json);
    }

    /// <summary>A new worker process on this gateway's database and partners file.</summary>
    public async Task<GatewayProcess> StartWorkerAsync()
    {
        var worker = await GatewayProcess.StartAsync(ConnectionString, PartnersFile,
        [
            new(Gateway.Jobs.GatewayRoles.Key, "worker"),
            new("Gateway:Jobs:PollInterval", "00:00:00.200"),
            new("Gateway:Jobs:WorkerCount", "2"),
            new("Gateway:Jobs:InvisibilityTimeout", "00:00:05"),
            new("Gateway:Jobs:DeliveryBackoff", "00:00:00.100"),
            new("Gateway:Jobs:DeliveryMaxBackoff", "00:00:00.400"),
            new("Gateway:Jobs:DropFolderSchedule", TestPartners.Never),
            new("Gateway:Jobs:PendingRecordsSchedule", TestPartners.Never),
            new("Gateway:Jobs:SlaSchedule", TestPartners.Never),
            new("Gateway:Jobs:RetentionSchedule", TestPartners.Never),
            new(EndpointGuard.AllowPrivateKey, "true"),
        ]);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>Kills every worker a test started, so the next test's workers are the only ones.</summary>
    public async Task StopWorkersAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        _workers.Clear();
    }

    public override async Task DisposeAsync()
    {
        await StopWorkersAsync();

        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        await Export.DisposeAsync();
        File.Delete(PartnersFile);
    }
}
