using Gateway.Fhir.Conformance;
using Gateway.Fhir.Measures;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Validation;

/// <summary>
/// The two extensions a MeasureReport of the gateway carries (confidence-interval on a mean
/// change, measurereport-commissioner on a stored monthly report) are defined in profiles/, and a
/// report the gateway builds validates against them; a report that misuses one is told where.
/// </summary>
public sealed class ExtensionDefinitionTests
{
    private static readonly DateOnly Start = new(2026, 11, 1);

    [Fact]
    public void Every_extension_a_measure_report_uses_is_defined_in_the_guide()
    {
        var extensions = Guide.Resources.Extensions.Select(e => e.Url).ToList();
        Assert.Contains(MeasureReportBuilder.ConfidenceInterval, extensions);
        Assert.Contains(MeasureReportBuilder.Commissioner, extensions);
    }

    [Fact]
    public void A_report_the_gateway_builds_with_an_interval_and_a_commissioner_is_valid()
    {
        var report = Report();

        Assert.NotEmpty(report.Group[0].MeasureScore.Extension);
        Assert.Single(report.Extension, e => e.Url == MeasureReportBuilder.Commissioner);
        Assert.Empty(Guide.Validator.Validate(report).Issues);
    }

    [Fact]
    public void An_interval_of_the_wrong_type_is_an_error_at_its_place()
    {
        var report = Report();
        report.Group[0].MeasureScore.Extension[0].Value = new FhirString("1.17 to 2.83");

        var issue = Assert.Single(Guide.Validator.Validate(report).Issues);

        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Equal("MeasureReport.group[0].measureScore.extension[0].value", issue.Expression.Single());
        Assert.Contains("only Range is allowed", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void A_commissioner_that_is_not_an_organisation_or_given_twice_is_an_error()
    {
        var report = Report();
        report.Extension[0].Value = new ResourceReference("Patient/p1");
        report.Extension.Add(new Extension(MeasureReportBuilder.Commissioner, new ResourceReference("Organization/other-icb")));

        var issues = Guide.Validator.Validate(report).Issues.Select(i => i.Diagnostics).ToList();

        Assert.Contains(issues, d => d.Contains("at most 1", StringComparison.Ordinal));
        Assert.Contains(issues, d => d.Contains("must refer to a Organization", StringComparison.Ordinal));
    }

    // Ten people with a mean change of 2: the score is shown with its interval (MeasureScores).
    private static MeasureReport Report()
    {
        var measure = MeasureCatalog.Find("wellbeing-change")!;
        var group = new GroupFigures(measure.Groups[0]);
        group.Total.Counts[MeasurePopulations.Measure] = 10;
        group.Total.Statistic = 2;
        group.Total.StandardDeviation = Math.Sqrt(12.0 / 9);
        var report = MeasureReportBuilder.Build(new MeasureFigures(measure, Start, Start.AddMonths(1).AddDays(-1), [group], IsSuppressed: true),
            DateTimeOffset.Parse("2026-12-01T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "walsall-icb");
        return report;
    }
}
