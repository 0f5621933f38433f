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
    public void A_named_partner_wins_but_the_requester_itself_or_a_stranger_falls_back_to_the_rules()
    {
        var named = Request();
        named.Performer = [new ResourceReference("Organization/welfare")];
        var itself = Request();
        itself.Performer = [new ResourceReference("Organization/gp")];
        var stranger = Request();
        stranger.Performer = [new ResourceReference("Organization/not-a-partner")];
        var towardsHealth = Request();
        towardsHealth.Requester = new ResourceReference("Organization/housing");
        towardsHealth.Performer = [new ResourceReference("Organization/gp")];

        Assert.Equal("welfare", ReferralRouter.Route(named, Patient("WS2 8LD"), Partners).Performer?.Id);
        Assert.Equal("housing", ReferralRouter.Route(itself, Patient("WS2 8LD"), Partners).Performer?.Id);
        Assert.Equal("housing", ReferralRouter.Route(stranger, Patient("WS2 8LD"), Partners).Performer?.Id);
        Assert.Equal("gp", ReferralRouter.Route(towardsHealth, Patient("WS2 8LD"), Partners).Performer?.Id);
    }

    [Theory]
    [InlineData(Hl7.Fhir.Model.Task.TaskStatus.Requested, Hl7.Fhir.Model.Task.TaskStatus.InProgress, "accepted,in-progress")]
    [InlineData(Hl7.Fhir.Model.Task.TaskStatus.Requested, Hl7.Fhir.Model.Task.TaskStatus.Completed, "accepted,completed")]
    [InlineData(Hl7.Fhir.Model.Task.TaskStatus.Received, Hl7.Fhir.Model.Task.TaskStatus.Failed, "accepted,failed")]
    [InlineData(Hl7.Fhir.Model.Task.TaskStatus.InProgress, Hl7.Fhir.Model.Task.TaskStatus.Cancelled, "cancelled")]
    [InlineData(Hl7.Fhir.Model.Task.TaskStatus.Requested, Hl7.Fhir.Model.Task.TaskStatus.Rejected, "rejected")]
    public void A_partner_record_reporting_a_later_state_walks_the_owners_shortest_path(Hl7.Fhir.Model.Task.TaskStatus from, Hl7.Fhir.Model.Task.TaskStatus to, string path) =>
        Assert.Equal(path, string.Join(",", TaskStateMachine.OwnerPath(from, to)!.Select(Hl7.Fhir.Utility.EnumUtility.GetLiteral)));

    [Fact]
    public void There_is_no_way_back_from_a_closed_state() =>
        Assert.Null(TaskStateMachine.OwnerPath(Hl7.Fhir.Model.Task.TaskStatus.Completed, Hl7.Fhir.Model.Task.TaskStatus.InProgress));

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
