using Gateway.Fhir.Partners;
using Gateway.Fhir.Workflow;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Workflow;

public sealed class ReferralRouterTests
{
    private static readonly PartnerDirectory Partners = new(new PartnersFile(
        [
            new Partner("gp", PartnerKinds.GpPractice, "GP", null, null),
            new Partner("housing", PartnerKinds.HousingProvider, "Housing", null, null),
            new Partner("welfare", PartnerKinds.WelfareOrganisation, "Welfare", null, null),
            new Partner("debt-advice", PartnerKinds.WelfareOrganisation, "Debt advice", null, null),
        ],
        [
            new RoutingRule(new RoutingCondition(["WS2"], ["debt"]), "debt-advice"),
            new RoutingRule(new RoutingCondition(["WS1", "WS2", "WV13"], null), "housing"),
            new RoutingRule(new RoutingCondition(["8261", "77"], null), "welfare"),
        ],
        null));

    [Theory]
    [InlineData("WS2 8LD", "housing")]
    [InlineData("ws1 1aa", "housing")]
    [InlineData("WV13 2AB", "housing")]
    [InlineData("8261 CJ", "welfare")]
    [InlineData("8261CJ", "welfare")]
    [InlineData("7771 AA", "welfare")]
    [InlineData("WS25 1AB", null)]
    [InlineData("WV1 3AB", null)]
    [InlineData("8262 AA", null)]
    [InlineData("LS1 4AP", null)]
    public void The_patients_postcode_area_chooses_the_rule(string postcode, string? performer)
    {
        var decision = ReferralRouter.Route(Request(), Patient(postcode), Partners);

        Assert.Equal(performer, decision.Performer?.Id);
    }

    [Fact]
    public void A_rule_with_a_service_matches_only_that_service()
    {
        var debt = Request();
        debt.Code = new CodeableConcept("https://example.org/services", "debt");

        Assert.Equal("debt-advice", ReferralRouter.Route(debt, Patient("WS2 8LD"), Partners).Performer?.Id);
        Assert.Equal("housing", ReferralRouter.Route(Request(), Patient("WS2 8LD"), Partners).Performer?.Id);
    }

    [Fact]
    public void A_named_provider_wins_but_a_named_gp_or_stranger_falls_back_to_the_rules()
    {
        var named = Request();
        named.Performer = [new ResourceReference("Organization/welfare")];
        var gp = Request();
        gp.Performer = [new ResourceReference("Organization/gp")];

        Assert.Equal("welfare", ReferralRouter.Route(named, Patient("WS2 8LD"), Partners).Performer?.Id);
        Assert.Equal("housing", ReferralRouter.Route(gp, Patient("WS2 8LD"), Partners).Performer?.Id);
    }

    [Fact]
    public void An_unrouted_referral_says_why()
    {
        var decision = ReferralRouter.Route(Request(), Patient("LS1 4AP"), Partners);

        Assert.Null(decision.Performer);
        Assert.Contains("no routing rule", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("LS1 4AP", decision.Reason, StringComparison.Ordinal);
    }

    private static ServiceRequest Request() => new()
    {
        Status = RequestStatus.Active,
        Intent = RequestIntent.Order,
        Subject = new ResourceReference("Patient/p"),
        Requester = new ResourceReference("Organization/gp"),
    };

    private static Patient Patient(string postcode) => new() { Address = [new Address { PostalCode = postcode }] };
}
