namespace Gateway.Testing;

/// <summary>
/// A gateway running its jobs with a <see cref="NotificationReceiver"/> for its deliveries to
/// reach: the housing provider's referral webhook points there, and backoff is short so retries
/// come quickly.
/// </summary>
public class DeliveryGatewayApp : JobsGatewayApp, Xunit.IAsyncLifetime
{
    public const string WebhookPath = "housing/referrals";
    public const string WebhookSecret = "test webhook secret";
    public const int Attempts = 3;

    public NotificationReceiver Receiver { get; } = new();

    /// <summary>The environment variable of the housing provider's signing secret: one per fixture, as tests unset it and others run at the same time.</summary>
    public string WebhookSecretEnv { get; } = $"GATEWAY_TEST_WEBHOOK_SECRET_{Guid.NewGuid():N}";

    protected override TestPartners CreatePartners()
    {
        Environment.SetEnvironmentVariable(WebhookSecretEnv, WebhookSecret);
        return new TestPartners(housingWebhook: (Receiver.Url(WebhookPath), WebhookSecretEnv));
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Gateway:Jobs:DeliveryBackoff", "00:00:00.100"),
        new("Gateway:Jobs:DeliveryMaxBackoff", "00:00:00.400"),
        new("Gateway:Jobs:DeliveryAttempts", Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    // Re-implements IAsyncLifetime: the receiver must listen before the partners file naming its URL is written.
    public new async Task InitializeAsync()
    {
        await Receiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
