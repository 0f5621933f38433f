using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Subscriptions;

/// <summary>SPEC §7: a topic-based Subscription names a topic the gateway offers and filters that topic allows, else 422 saying where; /metadata advertises the topics.</summary>
public sealed class TopicSubscriptionValidationTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private static readonly Uri Endpoint = new("https://gp.example/hooks/topics");

    public static TheoryData<string, string, string, string> Refused => new()
    {
        { "https://interop-gateway.example/fhir/SubscriptionTopic/patient-changes", "Task?status=requested", "Subscription.criteria", "SubscriptionTopic/task-changes" },
        { "Task?status=requested", "Task?status=requested", "Subscription.criteria", "SubscriptionTopic/servicerequest-changes" },
        { Subscriptions.TaskChanges, "Task?focus=ServiceRequest/1", "Subscription.criteria.extension[0]", "owner, requester, status" },
        { Subscriptions.TaskChanges, "ServiceRequest?status=active", "Subscription.criteria.extension[0]", "is about Task" },
        { Subscriptions.TaskChanges, "Task?owner.name=Housing", "Subscription.criteria.extension[0]", "not a filter" },
        { Subscriptions.TaskChanges, "Task?status=", "Subscription.criteria.extension[0]", "no value" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_topic_or_filter_the_gateway_does_not_offer_is_422_saying_where(string topic, string filter, string location, string message)
    {
        using var response = await gateway.Client.PostAsync("Subscription", Subscriptions.Topic(topic, Endpoint, [filter]));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = (await response.ReadOutcomeAsync()).Issue.Single();
        Assert.Equal(location, issue.Expression.Single());
        Assert.Contains(message, issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_filter_that_is_refused_is_named_by_its_position()
    {
        var subscription = Subscriptions.Topic(Subscriptions.TaskChanges, Endpoint, ["Task?status=requested", "Task?patient=Patient/1"]);

        using var response = await gateway.Client.PostAsync("Subscription", subscription);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Subscription.criteria.extension[1]", (await response.ReadOutcomeAsync()).Issue.Single().Expression.Single());
    }

    [Fact]
    public async Task A_service_request_topic_with_its_filters_is_accepted()
    {
        var subscription = Subscriptions.Topic("https://interop-gateway.example/fhir/SubscriptionTopic/servicerequest-changes", Endpoint,
            [$"ServiceRequest?requester=Organization/{TestPartners.Gp}&status=active,revoked", "ServiceRequest?patient=Patient/1"], Subscription.SubscriptionStatus.Off, "full-resource");

        var stored = await gateway.Client.CreateAsync(subscription);

        Assert.Equal("full-resource", stored.Channel.PayloadElement.GetExtensionValue<Code>(Gateway.Fhir.Subscriptions.Backport.PayloadContent).Value);
    }

    [Fact]
    public async Task The_capability_statement_offers_the_topics_the_backport_profile_and_status()
    {
        using var response = await gateway.Client.GetAsync("metadata");
        var statement = await response.ReadResourceAsync<CapabilityStatement>();

        var subscription = statement.Rest.Single().Resource.Single(r => r.Type == "Subscription");
        Assert.Equal(
            ["https://interop-gateway.example/fhir/SubscriptionTopic/servicerequest-changes", "https://interop-gateway.example/fhir/SubscriptionTopic/task-changes"],
            subscription.Extension.Where(e => e.Url == Gateway.Fhir.Subscriptions.Backport.TopicCanonical).Select(e => ((Canonical)e.Value).Value).Order(StringComparer.Ordinal));
        Assert.Contains(Gateway.Fhir.Subscriptions.Backport.SubscriptionProfile, subscription.SupportedProfile);
        Assert.Contains(subscription.Operation, o => o.Name == "status" && o.Definition == Gateway.Fhir.Subscriptions.Backport.StatusOperation);
    }
}
