using Gateway.Mapping.WorExport;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.Tests.WorExport;

public sealed class WorExportMapperTests
{
    // The README: the valid rows assume referrals with these identifiers from the practice with AGB code 01234567.
    private static readonly HashSet<string> KnownReferrals = ["WOR-2026-0091", "WOR-2026-0092", "WOR-2026-0093", "WOR-2026-0094", "WOR-2026-0096"];

    private readonly WorExportMapper _mapper = new(TestFiles.WorStatuses());

    private static bool IsKnown(ReferralLink link) => link.ReferringPracticeAgb == "01234567" && KnownReferrals.Contains(link.VerwijzingId);

    private List<(WorExportRow Row, MappingResult<ReferralUpdate> Result)> MapSample()
    {
        using var stream = File.OpenRead(TestFiles.SamplePath("wor-export/2026-10-31-wor-kampen.csv"));
        using var reader = WorExportCsvReader.Open(stream);
        return reader.ReadRows().Select(row => (row, _mapper.Map(row, TestFiles.ReceivedAt, IsKnown))).ToList();
    }

    [Fact]
    public void Sample_export_maps_four_rows_and_rejects_exactly_rows_5_and_6()
    {
        var results = MapSample();

        Assert.Equal([1, 2, 3, 4], results.Where(r => r.Result.IsAccepted).Select(r => r.Row.RowNumber));
        Assert.Equal([5, 6], results.Where(r => !r.Result.IsAccepted).Select(r => r.Row.RowNumber));
    }

    [Fact]
    public void Row_5_is_rejected_because_its_referral_is_unknown()
    {
        var issue = Assert.Single(MapSample()[4].Result.Issues);

        Assert.Equal(("unknown-referral", "row 5, column verwijzing_id"), (issue.CodeText, issue.Location));
        Assert.Contains("WOR-2026-9999", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row_6_is_rejected_naming_the_status_the_impossible_dates_and_the_score_out_of_range()
    {
        var issues = MapSample()[5].Result.Issues.Select(i => (i.CodeText, i.Location)).ToHashSet();

        Assert.Contains(("invalid-value", "row 6, column geboortedatum"), issues);
        Assert.Contains(("unknown-status", "row 6, column status"), issues);
        Assert.Contains(("invalid-value", "row 6, column status_datum"), issues);
        Assert.Contains(("out-of-range", "row 6, column pg_lichaamsfuncties"), issues);
        Assert.Contains(("required", "row 6, column pg_meetdatum"), issues);
    }

    [Fact]
    public void Intake_held_row_maps_to_in_progress_with_a_positive_health_response_read_with_decimal_commas()
    {
        var update = MapSample()[0].Result.Value;

        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.InProgress, update.Task.Status);
        Assert.Equal("intake-held", update.Task.BusinessStatus.Code);
        Assert.Equal(new DateTimeOffset(2026, 10, 2, 0, 0, 0, TimeSpan.Zero), update.Task.StatusChangedAt);
        var response = Assert.Single(update.Measures).Response;
        Assert.Equal("https://interop-gateway.example/fhir/Questionnaire/positive-health", response.Questionnaire);
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, response.Status);
        Assert.Equal("2026-10-02", response.Authored);
        Assert.Equal(
            ["bodily-functions", "mental-wellbeing", "meaningfulness", "quality-of-life", "participation", "daily-functioning"],
            response.Item.Select(i => i.LinkId));
        Assert.Equal([5m, 4m, 3.5m, 4m, 2m, 6m], response.Item.Select(i => ((FhirDecimal)i.Answer.Single().Value).Value!.Value));
    }

    [Fact]
    public void Referral_link_names_the_verwijzing_and_practice_and_confirms_by_surname_and_birth_date_without_bsn()
    {
        var link = MapSample()[0].Result.Value.Referral;

        Assert.Equal("WOR-2026-0091", link.VerwijzingId);
        Assert.Equal("01234567", link.ReferringPracticeAgb);
        Assert.Equal("de Vries", link.Patient.FamilyName);
        Assert.Equal(new DateOnly(1948, 2, 14), link.Patient.BirthDate);
        Assert.Null(link.Patient.NhsNumber);
    }

    [Fact]
    public void Feedback_with_consent_becomes_a_note_keeping_its_quoted_line_break()
    {
        var note = Assert.Single(MapSample()[1].Result.Value.Task.Notes);

        Assert.Equal("Start 15-10; twee ochtenden per week.\nEerste weken gaan goed.", note.Text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Chosen_arrangement_is_a_resulting_activity_output()
    {
        var update = MapSample()[1].Result.Value;

        var output = Assert.Single(update.Task.Outputs);
        Assert.Equal("resulting-activity", output.Type.Coding[0].Code);
        var activity = Assert.IsType<CodeableConcept>(output.Value);
        Assert.Equal(Canonicals.SocialPrescribingActivity, activity.Coding[0].System);
        Assert.Equal("other", activity.Coding[0].Code);
        Assert.Equal("Vrijwilligerswerk bij de kringloopwinkel", activity.Text);
        Assert.Empty(update.Measures);
    }

    [Fact]
    public void Completed_row_carries_its_arrangement_and_measurement_as_outputs()
    {
        var update = MapSample()[2].Result.Value;

        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Completed, update.Task.Status);
        Assert.Equal("got-help", update.Task.BusinessStatus.Code);
        Assert.Equal(["resulting-activity", "additional-content"], update.Task.Outputs.Select(o => o.Type.Coding[0].Code));
        Assert.Equal(update.Measures.Single().FullUrl, ((ResourceReference)update.Task.Outputs[1].Value).Reference);
        Assert.Equal([7m, 7.5m, 8m, 7m, 6.5m, 7m], update.Measures[0].Response.Item.Select(i => ((FhirDecimal)i.Answer[0].Value).Value!.Value));
    }

    [Fact]
    public void Not_reached_row_without_consent_fails_the_task_with_a_reason_and_no_note()
    {
        var update = MapSample()[3].Result.Value;

        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Failed, update.Task.Status);
        Assert.Equal("could-not-contact", update.Task.BusinessStatus.Code);
        Assert.Contains("niet_bereikt", update.Task.StatusReason, StringComparison.Ordinal);
        Assert.Empty(update.Task.Notes);
    }

    [Fact]
    public void Feedback_is_dropped_when_the_client_did_not_agree_to_share()
    {
        var row = SingleRow("WOR-2026-0091;01234567;de Vries;14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;;;;;;;;nee;Persoonlijk verhaal");

        var result = _mapper.Map(row, TestFiles.ReceivedAt);

        Assert.Empty(result.Issues);
        Assert.Empty(result.Value.Task.Notes);
    }

    [Fact]
    public void Record_key_is_the_row_content_hash_so_a_repeated_row_is_recognised()
    {
        var first = MapSample();
        var again = MapSample();

        Assert.Equal(first[0].Row.ContentHash, first[0].Result.Value.RecordKey);
        Assert.Equal(first.Select(r => r.Row.ContentHash), again.Select(r => r.Row.ContentHash));
        Assert.Equal(first[0].Result.Value.Measures[0].FullUrl, again[0].Result.Value.Measures[0].FullUrl);
    }

    [Fact]
    public void Structural_row_issue_rejects_the_row()
    {
        var result = _mapper.Map(SingleRow("WOR-2026-0091;01234567;de Vries"), TestFiles.ReceivedAt);

        Assert.Contains(result.Issues, i => i.Location == "row 1" && i.Code == RecordIssueCode.InvalidFormat);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Bad_agb_code_bad_consent_flag_and_a_future_status_date_are_reported()
    {
        var row = SingleRow("WOR-2026-0091;1234;de Vries;14-02-1948;8261 AB;aangemeld;01-01-2030;A. Bakker;;;;;;;;;misschien;");

        var issues = _mapper.Map(row, TestFiles.ReceivedAt).Issues.Select(i => (i.CodeText, i.Location));

        Assert.Equal(
            [("invalid-format", "row 1, column verwijzer_agb"), ("out-of-range", "row 1, column status_datum"), ("invalid-value", "row 1, column toestemming_delen")],
            issues);
    }

    [Fact]
    public void Partial_measurement_names_each_missing_column_and_says_when_it_is_required()
    {
        var row = SingleRow("WOR-2026-0091;01234567;de Vries;14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;02-10-2026;5;4;3.5;;2;6;ja;");

        var issue = Assert.Single(_mapper.Map(row, TestFiles.ReceivedAt).Issues);

        Assert.Equal(("required", "row 1, column pg_kwaliteit_van_leven"), (issue.CodeText, issue.Location));
        Assert.Contains("when any positive-health column has a value", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_that_is_not_a_number_is_an_invalid_format()
    {
        var row = SingleRow("WOR-2026-0091;01234567;de Vries;14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;02-10-2026;5;4;3.5;vier;2;6;ja;");

        var issue = Assert.Single(_mapper.Map(row, TestFiles.ReceivedAt).Issues);

        Assert.Equal(("invalid-format", "row 1, column pg_kwaliteit_van_leven"), (issue.CodeText, issue.Location));
    }

    private static WorExportRow SingleRow(string line)
    {
        using var reader = WorExportCsvReader.Open(new StringReader(File.ReadLines(TestFiles.SamplePath("wor-export/2026-10-31-wor-kampen.csv")).First() + "\n" + line));
        return reader.ReadRows().Single();
    }
}
