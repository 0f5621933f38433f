using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Subscriptions;

/// <summary>SPEC §7: a Subscription the gateway cannot serve is refused on create and update with 422 naming the element.</summary>
public sealed class SubscriptionValidationTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private static readonly Uri Endpoint = new("https://gp.example/hooks/progress");

    public static TheoryData<string, string> Refused => new()
    {
        { "Patient?name=Okafor", "Subscription.criteria" },
        { "Task?no-such-parameter=1", "Subscription.criteria" },
        { "websocket", "Subscription.channel.type" },
        { "relative-endpoint", "Subscription.channel.endpoint" },
        { "ftp-endpoint", "Subscription.channel.endpoint" },
        { "xml-payload", "Subscription.channel.payload" },
        { "bad-header", "Subscription.channel.header" },
        { "unknown-content", "Subscription.channel.payload" },
        { "id-only-without-payload", "Subscription.channel.payload" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_subscription_the_gateway_cannot_serve_is_422_naming_the_element(string variant, string element)
    {
        var subscription = Subscriptions.RestHook(variant.Contains('?', StringComparison.Ordinal) ? variant : "Task?status=accepted", Endpoint);
        switch (variant)
        {
            case "websocket":
                subscription.Channel.Type = Subscription.SubscriptionChannelType.Websocket;
                break;
            case "relative-endpoint":
                subscription.Channel.Endpoint = "/hooks/progress";
                break;
            case "ftp-endpoint":
                subscription.Channel.Endpoint = "ftp://gp.example/hooks";
                break;
            case "xml-payload":
                subscription.Channel.Payload = "application/fhir+xml";
                break;
            case "bad-header":
                subscription.Channel.Header = ["no colon here"];
                break;
            case "unknown-content":
                subscription.Channel.Payload = "application/fhir+json";
                subscription.Channel.PayloadElement.SetExtension(Gateway.Fhir.Subscriptions.SubscriptionRules.PayloadContentUrl, new Code("everything"));
                break;
            case "id-only-without-payload":
                subscription.Channel.PayloadElement = new Code { Extension = [new Extension(Gateway.Fhir.Subscriptions.SubscriptionRules.PayloadContentUrl, new Code("id-only"))] };
                break;
        }

        using var response = await gateway.Client.PostAsync("Subscription", subscription);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(element, (await response.ReadOutcomeAsync()).Issue.Single().Expression.Single());
    }

    [Fact]
    public async Task An_update_to_criteria_the_gateway_cannot_run_is_422_and_the_subscription_is_unchanged()
    {
        var stored = await gateway.Client.CreateAsync(Subscriptions.RestHook("Task?status=accepted", Endpoint, Subscription.SubscriptionStatus.Off));
        stored.Criteria = "Consent?status=active";

        using var response = await gateway.Client.PutAsync($"Subscription/{stored.Id}", stored);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var current = await (await gateway.Client.GetAsync($"Subscription/{stored.Id}")).ReadResourceAsync<Subscription>();
        Assert.Equal("Task?status=accepted", current.Criteria);
    }
}
