using System.Text.Json.Nodes;
using Gateway.Mapping.HousingCase;

namespace Gateway.Mapping.Tests.HousingCase;

/// <summary>The strict reading of housing-case/v1: each problem reported, where it is, all at once.</summary>
public sealed class HousingCaseRecordChecksTests
{
    private readonly HousingCaseMapper _mapper = new(TestFiles.HousingCaseStatuses());

    private static string Edited(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(TestFiles.Sample("housing-case/01-engaged-with-ons4.json"))!.AsObject();
        edit(json);
        return json.ToJsonString();
    }

    private IEnumerable<(string, string)> IssuesOf(string json) =>
        _mapper.Map(json, TestFiles.ReceivedAt).Issues.Select(i => (i.CodeText, i.Location));

    [Fact]
    public void On_hold_without_a_reason_is_rejected_and_with_one_is_accepted()
    {
        Assert.Equal([("required", "$.statusReason")], IssuesOf(Edited(j => j["status"] = "on_hold")));

        var result = _mapper.Map(Edited(j => { j["status"] = "on_hold"; j["statusReason"] = "Tenant in hospital"; }), TestFiles.ReceivedAt);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.OnHold, result.Value.Task.Status);
        Assert.Equal("Tenant in hospital", result.Value.Task.StatusReason);
    }

    [Fact]
    public void Malformed_json_is_one_issue_at_the_root()
    {
        var issue = Assert.Single(_mapper.Map("{ \"format\": ", TestFiles.ReceivedAt).Issues);

        Assert.Equal(("invalid-format", "$"), (issue.CodeText, issue.Location));
    }

    [Fact]
    public void Another_format_is_rejected()
    {
        Assert.Contains(("invalid-value", "$.format"), IssuesOf(Edited(j => j["format"] = "housing-case/v2")));
    }

    [Fact]
    public void Unknown_fields_are_named_with_their_path()
    {
        Assert.Equal(
            [("unknown-field", "$.tenant.bsn"), ("unknown-field", "$.wellbeing[0].answers.lonely")],
            IssuesOf(Edited(j =>
            {
                j["tenant"]!["bsn"] = "999911120";
                j["wellbeing"]![0]!["answers"]!["lonely"] = 3;
            })));
    }

    [Fact]
    public void Wrong_json_types_are_reported_per_field()
    {
        Assert.Equal(
            [("invalid-format", "$.consentToShareNotesWithGp"), ("invalid-format", "$.tenant.nhsNumber"), ("invalid-format", "$.wellbeing[0].answers.happy")],
            IssuesOf(Edited(j =>
            {
                j["tenant"]!["nhsNumber"] = 9995908301;
                j["wellbeing"]![0]!["answers"]!["happy"] = 3.5;
                j["consentToShareNotesWithGp"] = "yes";
            })).Order());
    }

    [Fact]
    public void Status_change_time_without_offset_or_in_the_future_is_rejected()
    {
        Assert.Equal([("invalid-format", "$.statusChangedAt")], IssuesOf(Edited(j => j["statusChangedAt"] = "2026-10-01T09:30:00")));
        Assert.Equal([("out-of-range", "$.statusChangedAt")], IssuesOf(Edited(j => j["statusChangedAt"] = "2027-02-01T09:30:00Z")));
    }

    [Fact]
    public void Referral_named_both_ways_is_rejected()
    {
        Assert.Equal([("invalid-value", "$.referral")], IssuesOf(Edited(j => j["referral"]!["gatewayTaskId"] = "abc")));
    }

    [Fact]
    public void Unknown_activity_code_is_named()
    {
        Assert.Equal([("invalid-value", "$.activities[1].code")], IssuesOf(Edited(j => j["activities"]![1]!["code"] = "knitting")));
    }

    [Fact]
    public void Referral_the_gateway_does_not_know_is_rejected_when_the_caller_says_so()
    {
        var json = TestFiles.Sample("housing-case/01-engaged-with-ons4.json");

        var result = _mapper.Map(json, TestFiles.ReceivedAt, link => link.ServiceRequestIdentifier?.Value == "SP-2026-0001");

        var issue = Assert.Single(result.Issues);
        Assert.Equal(("unknown-referral", "$.referral"), (issue.CodeText, issue.Location));
    }
}
