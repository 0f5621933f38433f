using System.Net;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Subscriptions;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Subscriptions;

/// <summary>A gateway as deployed: Gateway:Delivery:AllowPrivateEndpoints off, deliveries retried twice, quickly.</summary>
public sealed class GuardedGatewayApp : JobsGatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new(EndpointGuard.AllowPrivateKey, "false"),
        new("Gateway:Jobs:DeliveryAttempts", "2"),
        new("Gateway:Jobs:DeliveryBackoff", "00:00:00.100"),
        new("Gateway:Jobs:DeliveryMaxBackoff", "00:00:00.200"),
    ];
}

/// <summary>A partner cannot make the gateway call its internal network through a Subscription's endpoint (SSRF).</summary>
public sealed class EndpointGuardTests(GuardedGatewayApp gateway) : IClassFixture<GuardedGatewayApp>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/fhir/metadata")]
    [InlineData("http://localhost:5432/")]
    [InlineData("http://10.0.0.7/hooks")]
    [InlineData("http://172.20.1.1/hooks")]
    [InlineData("http://192.168.1.10/hooks")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/hooks")]
    [InlineData("http://[fd00::1]/hooks")]
    [InlineData("http://224.0.0.251/hooks")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://gp.example/hooks")]
    public async System.Threading.Tasks.Task An_endpoint_on_an_internal_address_or_not_http_is_422_naming_the_endpoint(string endpoint)
    {
        var subscription = Subscriptions.RestHook("Task?status=accepted", new Uri("https://gp.example/hooks"));
        subscription.Channel.Endpoint = endpoint;

        using var response = await gateway.Client.PostAsync("Subscription", subscription);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Subscription.channel.endpoint", (await response.ReadOutcomeAsync()).Issue.Single().Expression.Single());
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("255.255.255.255", false)]
    // Issue 17 item 12: IPv6 forms that carry an IPv4 address count as that address.
    [InlineData("64:ff9b::7f00:1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("64:ff9b::808:808", true)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("::10.0.0.1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::", false)]
    public void Only_public_addresses_count_as_public(string address, bool isPublic) =>
        Assert.Equal(isPublic, EndpointGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async System.Threading.Tasks.Task A_delivery_to_an_internal_address_is_refused_at_connect_and_the_subscription_says_why()
    {
        await using var receiver = new NotificationReceiver();
        await receiver.StartAsync();
        // Stored as the gateway's own (no create check), as a name that once resolved elsewhere would be.
        var stored = await gateway.SeedAsync(Subscriptions.RestHook("Task?status=accepted", receiver.Url("internal")));
        var store = gateway.Services.GetRequiredService<ResourceStore>();

        var errored = await ClockedJobsGatewayApp.EventuallyAsync(
            async () => (Subscription)(await store.ReadAsync("Subscription", stored.Id, CancellationToken.None)).Resource!,
            s => s.Status == Subscription.SubscriptionStatus.Error);

        Assert.Equal(Subscription.SubscriptionStatus.Error, errored.Status);
        Assert.Contains("internal address", errored.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }
}
