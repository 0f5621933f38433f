using Gateway.Jobs.Measures;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Measures;

/// <summary>
/// The MeasureReports the gateway produces (answered by $evaluate-measure, stored by the monthly
/// job) are valid against the guide, the definitions of their two extensions included: a client
/// that validates what it receives, with $validate or its own validator, finds nothing wrong.
/// </summary>
public sealed class MeasureReportConformanceTests(MeasuresGateway gateway) : IClassFixture<MeasuresGateway>
{
    [Fact]
    public async System.Threading.Tasks.Task An_evaluated_report_with_confidence_intervals_validates()
    {
        var report = await gateway.Commissioner.EvaluateAsync("wellbeing-change", gateway.Period);
        Assert.NotNull(MeasureReports.Interval(report.Group("ons4-satisfied").MeasureScore));

        using var response = await gateway.Commissioner.PostAsync("MeasureReport/$validate", report);
        var outcome = await response.ReadOutcomeAsync();

        Assert.All(outcome.Issue, i => Assert.Equal(OperationOutcome.IssueSeverity.Information, i.Severity));
        Assert.Contains("StructureDefinition/confidence-interval", await ExtensionOfAsync("confidence-interval"), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_stored_monthly_report_naming_its_commissioner_validates()
    {
        await gateway.Services.GetRequiredService<MonthlyMeasureReportsJob>().RunForMonthAsync(gateway.Referred.Year, gateway.Referred.Month, CancellationToken.None);
        var id = MonthlyMeasureReportsJob.ReportId("wellbeing-change", DateOnly.FromDateTime(gateway.Referred.UtcDateTime), TestPartners.Commissioner);
        using var read = await gateway.Commissioner.GetAsync($"MeasureReport/{id}");
        var stored = await read.ReadResourceAsync<MeasureReport>();
        Assert.Equal($"Organization/{TestPartners.Commissioner}", ((ResourceReference)stored.GetExtension(Gateway.Fhir.Measures.MeasureReportBuilder.Commissioner).Value).Reference);

        using var response = await gateway.Commissioner.GetAsync($"MeasureReport/{id}/$validate");
        var outcome = await response.ReadOutcomeAsync();

        Assert.All(outcome.Issue, i => Assert.Equal(OperationOutcome.IssueSeverity.Information, i.Severity));
    }

    // The definition is served from the FHIR base like every resource of the guide.
    private async Task<string> ExtensionOfAsync(string id)
    {
        using var response = await gateway.Commissioner.GetAsync($"StructureDefinition/{id}");
        return (await response.ReadResourceAsync<StructureDefinition>()).Url ?? "";
    }
}
