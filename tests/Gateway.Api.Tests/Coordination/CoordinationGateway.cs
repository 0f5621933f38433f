using Gateway.Testing;

namespace Gateway.Api.Tests.Coordination;

/// <summary>
/// A gateway running its jobs whose housing provider has its own FHIR server (a
/// <see cref="PartnerFhirServer"/>) reached with a bearer token. Delivery retries come quickly; the
/// sync is scheduled never to come round: tests trigger it.
/// </summary>
public sealed class CoordinationGateway : JobsGatewayApp
{
    public const string Token = "partner-fhir-test-token";
    public const int Attempts = 4;

    public PartnerFhirServer Partner { get; } = new();

    /// <summary>The environment variable of the bearer token: one per fixture, as other fixtures run at the same time.</summary>
    public string TokenEnv { get; } = $"GATEWAY_TEST_PARTNER_FHIR_TOKEN_{Guid.NewGuid():N}";

    protected override TestPartners CreatePartners()
    {
        Environment.SetEnvironmentVariable(TokenEnv, Token);
        return new TestPartners(housingFhir: (Partner.Base, TokenEnv));
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Gateway:Jobs:CoordinationSyncSchedule", TestPartners.Never),
        new("Gateway:Jobs:DeliveryBackoff", "00:00:00.100"),
        new("Gateway:Jobs:DeliveryMaxBackoff", "00:00:00.400"),
        new("Gateway:Jobs:DeliveryAttempts", Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Gateway:Jobs:PartnerFhirTimeout", "00:00:05"),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Partner.DisposeAsync();
    }
}
