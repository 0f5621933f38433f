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

    protected override TestPartners CreatePartners()
    {
        Environment.SetEnvironmentVariable(TestPartners.HousingWebhookSecretEnv, WebhookSecret);
        return new TestPartners(housingWebhook: Receiver.Url(WebhookPath));
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
