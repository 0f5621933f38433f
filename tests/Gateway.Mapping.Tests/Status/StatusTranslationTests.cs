using Gateway.Mapping.HousingCase;
using Gateway.Mapping.Status;
using Gateway.Mapping.WorExport;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.Tests.Status;

public sealed class StatusTranslationTests
{
    [Theory]
    [InlineData("received", Hl7.Fhir.Model.Task.TaskStatus.Received, "awaiting-contact")]
    [InlineData("contact_attempted", Hl7.Fhir.Model.Task.TaskStatus.Accepted, "contact-attempted")]
    [InlineData("on_hold", Hl7.Fhir.Model.Task.TaskStatus.OnHold, "on-hold-by-provider")]
    [InlineData("closed_declined", Hl7.Fhir.Model.Task.TaskStatus.Cancelled, "no-longer-interested")]
    [InlineData("closed_no_contact", Hl7.Fhir.Model.Task.TaskStatus.Failed, "could-not-contact")]
    [InlineData("closed_moved_away", Hl7.Fhir.Model.Task.TaskStatus.Cancelled, "moved-away")]
    [InlineData("closed_inappropriate", Hl7.Fhir.Model.Task.TaskStatus.Rejected, "not-eligible")]
    public void Housing_case_status_translates_through_the_concept_map(string code, Hl7.Fhir.Model.Task.TaskStatus status, string businessStatus)
    {
        var translated = TestFiles.HousingCaseStatuses().Translate(code);

        Assert.Equal(status, translated.Status);
        Assert.Equal(Canonicals.ReferralBusinessStatus, translated.BusinessStatus.System);
        Assert.Equal(businessStatus, translated.BusinessStatus.Code);
    }

    [Fact]
    public void Every_wor_status_translates_and_an_unknown_one_does_not()
    {
        var statuses = TestFiles.WorStatuses();

        Assert.Equal(Canonicals.WorStatus, statuses.SourceSystem);
        Assert.Equal(9, statuses.KnownCodes.Count());
        Assert.All(statuses.KnownCodes, code => Assert.NotNull(statuses.Translate(code).Status));
        Assert.Null(statuses.Translate("misschien"));
    }

    [Fact]
    public void A_status_added_to_the_concept_map_maps_without_a_code_change()
    {
        var map = TestFiles.ConceptMap("ConceptMap-housing-case-status-to-task.json");
        map.Group[0].Element.Add(Element("waitlisted", "accepted"));
        map.Group[1].Element.Add(Element("waitlisted", "waitlist"));
        var mapper = new HousingCaseMapper(new StatusTranslation(map));
        var json = TestFiles.Sample("housing-case/03-contact-attempted-no-consent.json")
            .Replace("\"contact_attempted\"", "\"waitlisted\"", StringComparison.Ordinal);

        var result = mapper.Map(json, TestFiles.ReceivedAt);

        Assert.Empty(result.Issues);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Accepted, result.Value.Task.Status);
        Assert.Equal("waitlist", result.Value.Task.BusinessStatus.Code);
        Assert.Contains(new HousingCaseMapper(TestFiles.HousingCaseStatuses()).Map(json, TestFiles.ReceivedAt).Issues, i => i.Code == RecordIssueCode.UnknownStatus);
    }

    [Fact]
    public void Unmatched_targets_are_not_translations()
    {
        var map = TestFiles.ConceptMap("ConceptMap-wor-status-to-task.json");
        map.Group[0].Element.Add(Element("onbekend", "received", ConceptMapEquivalence.Unmatched));

        Assert.Null(new StatusTranslation(map).Translate("onbekend"));
    }

    [Fact]
    public void A_concept_map_to_something_that_is_not_a_task_status_is_refused_at_construction()
    {
        var map = TestFiles.ConceptMap("ConceptMap-wor-status-to-task.json");
        map.Group[0].Element.Add(Element("gepauzeerd", "paused"));

        var error = Assert.Throws<ArgumentException>(() => new StatusTranslation(map));
        Assert.Contains("'paused'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapper_refuses_another_partners_concept_map()
    {
        Assert.Throws<ArgumentException>(() => new HousingCaseMapper(TestFiles.WorStatuses()));
        Assert.Throws<ArgumentException>(() => new WorExportMapper(TestFiles.HousingCaseStatuses()));
    }

    private static ConceptMap.SourceElementComponent Element(string code, string target, ConceptMapEquivalence equivalence = ConceptMapEquivalence.Equivalent) =>
        new() { Code = code, Target = [new ConceptMap.TargetElementComponent { Code = target, Equivalence = equivalence }] };
}
