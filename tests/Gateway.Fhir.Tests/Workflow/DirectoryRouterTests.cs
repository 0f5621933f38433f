using Gateway.Fhir.Partners;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Fhir.Workflow;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Workflow;

/// <summary>SPEC §11 routing by service, as the pure decision: named services, category and area, capacity.</summary>
public sealed class DirectoryRouterTests
{
    private static readonly Partner Housing = new("housing", PartnerKinds.HousingProvider, "Housing", null, null);
    private static readonly Partner Welfare = new("welfare", PartnerKinds.WelfareOrganisation, "Welfare", null, null);

    private static readonly PartnerDirectory Partners = new(new PartnersFile(
        [new Partner("gp", PartnerKinds.GpPractice, "GP", null, null), Housing, Welfare],
        [
            new RoutingRule(new RoutingCondition(["WS9"], null), null, "befriending"),
            new RoutingRule(new RoutingCondition(["WS"], null), "housing"),
        ],
        null));

    private static DirectoryService Service(string id, Partner? provider, bool accepts = true, int? waitDays = null, string postcode = "WS9 8AA", bool active = true) =>
        new(id, "Service " + id, active, new ServiceCapacity(accepts, waitDays is { } d ? ServiceCapacity.Days(d) : null), ["befriending"], [postcode], provider);

    private static ServiceRequest Request(string? performer = null) => new()
    {
        Status = RequestStatus.Active,
        Intent = RequestIntent.Order,
        Subject = new ResourceReference("Patient/p"),
        Requester = new ResourceReference("Organization/gp"),
        Performer = performer is null ? [] : [new ResourceReference(performer)],
    };

    private static Patient Patient(string postcode) => new() { Address = [new Address { PostalCode = postcode }] };

    [Fact]
    public void The_category_rule_takes_the_shortest_wait_among_the_services_with_capacity_in_its_area()
    {
        var decision = ReferralRouter.Route(Request(), Patient("WS9 1AB"), Partners,
        [
            Service("full", Housing, accepts: false, waitDays: 1),
            Service("slow", Housing, waitDays: 20),
            Service("quick", Welfare, waitDays: 3),
            Service("elsewhere", Housing, waitDays: 0, postcode: "WS1 1AA"),
            Service("closed", Housing, waitDays: 0, active: false),
        ]);

        Assert.Equal("welfare", decision.Performer?.Id);
        Assert.Equal("quick", decision.Service?.Id);
        Assert.Contains("1 without capacity skipped", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void All_services_full_holds_the_referral_for_capacity()
    {
        var decision = ReferralRouter.Route(Request(), Patient("WS9 1AB"), Partners, [Service("a", Housing, accepts: false), Service("b", Welfare, accepts: false)]);

        Assert.Null(decision.Performer);
        Assert.True(decision.NoCapacity);
    }

    [Fact]
    public void No_service_of_the_category_in_the_area_falls_through_to_the_postcode_rule()
    {
        var decision = ReferralRouter.Route(Request(), Patient("WS9 1AB"), Partners, [Service("far", Welfare, postcode: "8261 CK")]);

        Assert.Equal("housing", decision.Performer?.Id);
        Assert.False(decision.NoCapacity);
    }

    [Fact]
    public void A_named_service_goes_to_its_provider_whatever_the_rules()
    {
        var decision = ReferralRouter.Route(Request("HealthcareService/taalcafe"), Patient("WS2 8LD"), Partners, [Service("taalcafe", Welfare, postcode: "8261 EP")]);

        Assert.Equal("welfare", decision.Performer?.Id);
        Assert.Contains("HealthcareService/taalcafe", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true, "takes no referrals now")]
    [InlineData(true, false, "not an active service")]
    public void A_named_service_that_cannot_take_it_is_not_routed(bool accepts, bool active, string why)
    {
        var decision = ReferralRouter.Route(Request("HealthcareService/s"), Patient("WS2 8LD"), Partners, [Service("s", Housing, accepts: accepts, active: active)]);

        Assert.Null(decision.Performer);
        Assert.Contains(why, decision.Reason, StringComparison.Ordinal);
    }
}
