using Gateway.Fhir.Conformance;
using Gateway.Fhir.Terminology;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Terminology;

/// <summary>
/// issue 5: $translate of each partner status gives a Task status and business status that SPEC §5's
/// workflow allows: the owner may make that move, the business status is the gateway's and goes with
/// that Task status, and each partner's usual path is a chain of legal moves from 'requested'.
/// </summary>
public sealed class PartnerStatusTranslationTests
{
    private const string TaskStatus = "http://hl7.org/fhir/task-status";
    private const string BusinessStatus = GatewayGuide.CanonicalBase + "/CodeSystem/referral-business-status";
    private const string HousingCase = GatewayGuide.CanonicalBase + "/CodeSystem/housing-case-status";
    private const string Wor = GatewayGuide.CanonicalBase + "/CodeSystem/wor-status";

    private static readonly string[] OpenStates = ["requested", "received", "accepted", "in-progress", "on-hold"];

    // SPEC §5, the moves the owner makes: the table, plus 'cancelled' from any open state (e.g. the patient withdrew).
    private static readonly Dictionary<string, string[]> OwnerMoves = new()
    {
        ["requested"] = ["received", "accepted", "rejected", "cancelled"],
        ["received"] = ["accepted", "rejected", "cancelled"],
        ["accepted"] = ["in-progress", "on-hold", "completed", "failed", "cancelled"],
        ["in-progress"] = ["on-hold", "completed", "failed", "cancelled"],
        ["on-hold"] = ["in-progress", "completed", "failed", "cancelled"],
    };

    [Theory]
    [InlineData(HousingCase, "received", "received", "awaiting-contact")]
    [InlineData(HousingCase, "contact_attempted", "accepted", "contact-attempted")]
    [InlineData(HousingCase, "engaged", "in-progress", "plan-agreed")]
    [InlineData(HousingCase, "on_hold", "on-hold", "on-hold-by-provider")]
    [InlineData(HousingCase, "closed_completed", "completed", "got-help")]
    [InlineData(HousingCase, "closed_declined", "cancelled", "no-longer-interested")]
    [InlineData(HousingCase, "closed_no_contact", "failed", "could-not-contact")]
    [InlineData(HousingCase, "closed_moved_away", "cancelled", "moved-away")]
    [InlineData(HousingCase, "closed_inappropriate", "rejected", "not-eligible")]
    [InlineData(Wor, "aangemeld", "received", "awaiting-contact")]
    [InlineData(Wor, "contact_gezocht", "accepted", "contact-attempted")]
    [InlineData(Wor, "intake_gepland", "accepted", "intake-booked")]
    [InlineData(Wor, "intake_gehad", "in-progress", "intake-held")]
    [InlineData(Wor, "arrangement_gestart", "in-progress", "activity-started")]
    [InlineData(Wor, "afgerond", "completed", "got-help")]
    [InlineData(Wor, "gestopt", "cancelled", "no-longer-interested")]
    [InlineData(Wor, "niet_bereikt", "failed", "could-not-contact")]
    [InlineData(Wor, "niet_passend", "rejected", "not-eligible")]
    public void Partner_status_translates_to_a_task_status_and_business_status_the_workflow_allows(string system, string code, string taskStatus, string businessStatus)
    {
        var matches = Translate(system, code);

        Assert.Equal([taskStatus], matches.Where(m => m.System == TaskStatus).Select(m => m.Code));
        Assert.Equal([businessStatus], matches.Where(m => m.System == BusinessStatus).Select(m => m.Code));
        Assert.Contains(OpenStates, from => OwnerMoves[from].Contains(taskStatus));
        Assert.True(Guide.Resources.Expansions.Contains(GatewayGuide.CanonicalBase + "/ValueSet/referral-business-status", BusinessStatus, businessStatus));
        Assert.Equal(taskStatus, TaskStatusOf(businessStatus));
    }

    [Theory]
    [InlineData(HousingCase, new[] { "received", "contact_attempted", "engaged", "on_hold", "engaged", "closed_completed" })]
    [InlineData(HousingCase, new[] { "received", "contact_attempted", "closed_no_contact" })]
    [InlineData(HousingCase, new[] { "received", "closed_inappropriate" })]
    [InlineData(HousingCase, new[] { "contact_attempted", "engaged", "closed_declined" })]
    [InlineData(Wor, new[] { "aangemeld", "contact_gezocht", "intake_gepland", "intake_gehad", "arrangement_gestart", "afgerond" })]
    [InlineData(Wor, new[] { "aangemeld", "contact_gezocht", "niet_bereikt" })]
    [InlineData(Wor, new[] { "aangemeld", "niet_passend" })]
    [InlineData(Wor, new[] { "aangemeld", "contact_gezocht", "intake_gehad", "gestopt" })]
    public void A_partners_usual_path_is_a_chain_of_moves_the_owner_may_make(string system, string[] path)
    {
        var state = "requested";
        foreach (var code in path)
        {
            var next = Translate(system, code).Single(m => m.System == TaskStatus).Code!;
            Assert.True(next == state || OwnerMoves[state].Contains(next), $"{code}: {state} -> {next} is not a move the owner may make");
            state = next;
        }
    }

    [Theory]
    [InlineData(HousingCase)]
    [InlineData(Wor)]
    public void Every_code_of_a_partner_vocabulary_is_mapped(string system)
    {
        var codes = Guide.Resources.Find<CodeSystem>(system)!.Concept.Select(c => c.Code);

        Assert.All(codes, code => Assert.Equal(2, Translate(system, code).Count));
    }

    [Fact]
    public void A_target_value_set_narrows_the_matches_to_its_system()
    {
        var request = new TranslationRequest(Wor, "afgerond", Target: GatewayGuide.CanonicalBase + "/ValueSet/referral-business-status");

        var matches = ConceptTranslation.Translate(Guide.Resources.OfType<ConceptMap>(), request, Guide.Resources.Expansions.SystemsOf);

        Assert.Equal(["got-help"], matches.Select(m => m.Code));
    }

    [Fact]
    public void An_unknown_code_gives_result_false_with_a_message()
    {
        var request = new TranslationRequest(Wor, "misschien");

        var parameters = ConceptTranslation.ToParameters(ConceptTranslation.Translate(Guide.Resources.OfType<ConceptMap>(), request, Guide.Resources.Expansions.SystemsOf), request);

        Assert.False(((FhirBoolean)parameters.GetSingleValue<FhirBoolean>("result")).Value);
        Assert.Contains("misschien", parameters.GetSingleValue<FhirString>("message").Value, StringComparison.Ordinal);
    }

    private static IReadOnlyList<TranslationMatch> Translate(string system, string code) =>
        ConceptTranslation.Translate(Guide.Resources.OfType<ConceptMap>(), new TranslationRequest(system, code), Guide.Resources.Expansions.SystemsOf);

    private static string? TaskStatusOf(string businessStatus) =>
        Guide.Resources.Find<CodeSystem>(BusinessStatus)!.Concept.Single(c => c.Code == businessStatus)
            .Property.Single(p => p.Code == "task-status").Value is Code code ? code.Value : null;
}
