using Gateway.Mapping.HousingCase;
using Gateway.Mapping.Measures;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.Tests.HousingCase;

public sealed class HousingCaseMapperTests
{
    private readonly HousingCaseMapper _mapper = new(TestFiles.HousingCaseStatuses());

    private MappingResult<ReferralUpdate> MapSample(string file) =>
        _mapper.Map(TestFiles.Sample("housing-case/" + file), TestFiles.ReceivedAt);

    [Fact]
    public void Engaged_case_maps_to_in_progress_with_plan_agreed_and_an_ons4_response()
    {
        var result = MapSample("01-engaged-with-ons4.json");

        Assert.Empty(result.Issues);
        var update = result.Value;
        Assert.Equal("5b0f6a52-8d0e-4f57-9a51-2f1f3c0b7e11", update.RecordKey);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.InProgress, update.Task.Status);
        Assert.Equal(Canonicals.ReferralBusinessStatus, update.Task.BusinessStatus.System);
        Assert.Equal("plan-agreed", update.Task.BusinessStatus.Code);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 9, 30, 0, TimeSpan.FromHours(1)), update.Task.StatusChangedAt);

        var measure = Assert.Single(update.Measures);
        var response = measure.Response;
        Assert.Equal("https://interop-gateway.example/fhir/Questionnaire/ons4", response.Questionnaire);
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, response.Status);
        Assert.Equal("2026-10-01", response.Authored);
        Assert.Equal(["satisfied", "worthwhile", "happy", "anxious"], response.Item.Select(i => i.LinkId));
        Assert.Equal([4, 5, 3, 7], response.Item.Select(i => ((Integer)i.Answer.Single().Value).Value!.Value));
        Assert.Empty(response.BasedOn);
        Assert.Null(response.Subject);
    }

    [Fact]
    public void Attending_activities_become_resulting_activity_outputs_and_planned_ones_do_not()
    {
        var update = MapSample("01-engaged-with-ons4.json").Value;

        var activity = Assert.Single(update.Task.Outputs, o => o.Type.Coding[0].Code == "resulting-activity");
        Assert.Equal(Canonicals.TaskOutputType, activity.Type.Coding[0].System);
        var value = Assert.IsType<CodeableConcept>(activity.Value);
        Assert.Equal(Canonicals.SocialPrescribingActivity, value.Coding[0].System);
        Assert.Equal("befriending", value.Coding[0].Code);
        Assert.Equal("Weekly befriending visit from a volunteer", value.Text);
    }

    [Fact]
    public void Each_measure_is_an_additional_content_output_referencing_its_placeholder()
    {
        var update = MapSample("01-engaged-with-ons4.json").Value;

        var content = Assert.Single(update.Task.Outputs, o => o.Type.Coding[0].Code == "additional-content");
        var reference = Assert.IsType<ResourceReference>(content.Value);
        Assert.Equal(update.Measures[0].FullUrl, reference.Reference);
        Assert.StartsWith("urn:uuid:", reference.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Replaying_a_message_gives_the_same_placeholders()
    {
        var first = MapSample("01-engaged-with-ons4.json").Value;
        var second = MapSample("01-engaged-with-ons4.json").Value;

        Assert.Equal(first.Measures[0].FullUrl, second.Measures[0].FullUrl);
    }

    [Fact]
    public void Referral_link_carries_the_gp_identifier_and_the_nhs_number_with_birth_date()
    {
        var link = MapSample("01-engaged-with-ons4.json").Value.Referral;

        Assert.Equal("https://hillside.example/referrals", link.ServiceRequestIdentifier.System);
        Assert.Equal("SP-2026-1187", link.ServiceRequestIdentifier.Value);
        Assert.Null(link.GatewayTaskId);
        Assert.Equal("9995908301", link.Patient.NhsNumber);
        Assert.Equal(new DateOnly(1951, 3, 8), link.Patient.BirthDate);
    }

    [Fact]
    public void Notes_go_to_the_gp_when_the_tenant_agreed()
    {
        var note = Assert.Single(MapSample("01-engaged-with-ons4.json").Value.Task.Notes);

        Assert.StartsWith("Lives alone since her husband died", note.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Closed_completed_case_maps_to_completed_got_help_with_taken_up_activities()
    {
        var result = MapSample("02-closed-completed.json");

        Assert.Empty(result.Issues);
        var task = result.Value.Task;
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Completed, task.Status);
        Assert.Equal("got-help", task.BusinessStatus.Code);
        var activities = task.Outputs.Where(o => o.Type.Coding[0].Code == "resulting-activity")
            .Select(o => ((CodeableConcept)o.Value).Coding[0].Code);
        Assert.Equal(["befriending", "arts-and-crafts", "volunteering"], activities);
        Assert.Single(task.Outputs, o => o.Type.Coding[0].Code == "additional-content");
        Assert.Equal([7, 8, 6, 3], result.Value.Measures[0].Response.Item.Select(i => ((Integer)i.Answer[0].Value).Value!.Value));
    }

    [Fact]
    public void Notes_are_dropped_without_the_tenants_consent()
    {
        var result = MapSample("03-contact-attempted-no-consent.json");

        Assert.Empty(result.Issues);
        Assert.Empty(result.Value.Task.Notes);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Accepted, result.Value.Task.Status);
        Assert.Equal("contact-attempted", result.Value.Task.BusinessStatus.Code);
        Assert.Equal("REPLACE-WITH-TASK-ID", result.Value.Referral.GatewayTaskId);
        Assert.Null(result.Value.Referral.ServiceRequestIdentifier);
    }

    [Fact]
    public void Invalid_case_is_rejected_with_an_issue_naming_each_bad_field()
    {
        var result = MapSample("04-invalid.json");

        Assert.False(result.IsAccepted);
        Assert.Null(result.Value);
        var issues = result.Issues.Select(i => (i.CodeText, i.Location)).ToHashSet();
        Assert.Contains(("check-digit", "$.tenant.nhsNumber"), issues);
        Assert.Contains(("invalid-format", "$.tenant.dateOfBirth"), issues);
        Assert.Contains(("unknown-status", "$.status"), issues);
        Assert.Contains(("invalid-format", "$.statusChangedAt"), issues);
        Assert.Contains(("out-of-range", "$.wellbeing[0].answers.satisfied"), issues);
        Assert.Contains(("out-of-range", "$.wellbeing[0].answers.worthwhile"), issues);
        Assert.Contains(("required", "$.wellbeing[0].answers.happy"), issues);
        Assert.Contains(("required", "$.wellbeing[0].answers.anxious"), issues);
        Assert.Equal(8, result.Issues.Count);
    }

    [Fact]
    public void Unknown_status_issue_lists_the_statuses_the_concept_map_knows()
    {
        var issue = Assert.Single(MapSample("04-invalid.json").Issues, i => i.Code == RecordIssueCode.UnknownStatus);

        Assert.Contains("'maybe_later'", issue.Message, StringComparison.Ordinal);
        Assert.Contains("closed_completed", issue.Message, StringComparison.Ordinal);
    }
}
