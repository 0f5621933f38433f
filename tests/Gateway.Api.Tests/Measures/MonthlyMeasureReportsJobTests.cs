using System.Net;
using Gateway.Jobs.Measures;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Measures;

/// <summary>Issue 19 item 5: last month's MeasureReports, made by a recurring job, for every area and each commissioner's.</summary>
public sealed class MonthlyMeasureReportsJobTests(MeasuresGateway gateway) : IClassFixture<MeasuresGateway>
{
    private const int Measures = 7;

    private Task<int> RunAsync() =>
        gateway.Services.GetRequiredService<MonthlyMeasureReportsJob>().RunForMonthAsync(gateway.Referred.Year, gateway.Referred.Month, CancellationToken.None);

    [Fact]
    public void The_reports_are_a_recurring_job_on_the_first_of_the_month()
    {
        var job = gateway.RecurringJob(MonthlyMeasureReportsJob.Id);

        Assert.NotNull(job);
        Assert.Equal("0 3 1 * *", job.Cron);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_rerun_replaces_the_reports_and_each_commissioner_reads_only_its_own()
    {
        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(Measures * 3, first); // every area, the ICB, the gemeente
        Assert.Equal(first, second);
        var all = await gateway.Operator.SearchAsync("MeasureReport?_count=100");
        Assert.Equal(Measures * 3, all.Entry.Count);
        Assert.All(all.Entry, e => Assert.Equal("2", e.Resource.Meta.VersionId));
        var own = (await gateway.Commissioner.SearchAsync("MeasureReport?_count=100")).Entry.Select(e => (MeasureReport)e.Resource).ToList();
        Assert.Equal(Measures, own.Count);
        Assert.All(own, r => Assert.EndsWith($"-{TestPartners.Commissioner}", r.Id, StringComparison.Ordinal));
        var received = own.Single(r => r.Measure.EndsWith("/referrals-received", StringComparison.Ordinal));
        Assert.Equal(16, received.Group[0].Population[0].Count);
        Assert.Equal(Measures, (await gateway.Municipality.SearchAsync("MeasureReport?_count=100")).Entry.Count);
        var month = $"{gateway.Referred:yyyy-MM}";
        using var everyArea = await gateway.Commissioner.GetAsync($"MeasureReport/referrals-received-{month}-{MonthlyMeasureReportsJob.AllAreas}");
        Assert.Equal(HttpStatusCode.NotFound, everyArea.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_commissioner_cannot_write_a_report()
    {
        using var response = await gateway.Commissioner.PostAsync("MeasureReport", new MeasureReport
        {
            Status = MeasureReport.MeasureReportStatus.Complete,
            Type = MeasureReport.MeasureReportType.Summary,
            Measure = "https://interop-gateway.example/fhir/Measure/referrals-received",
            Period = new Period(new FhirDateTime("2026-01-01"), new FhirDateTime("2026-01-31")),
        });

        // Its token has no create scope (403); with one, MeasureReports are read-only here (405).
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed, $"{(int)response.StatusCode}");
        Assert.Empty((await gateway.Commissioner.SearchAsync("MeasureReport?measure=https://interop-gateway.example/fhir/Measure/referrals-received&period=2026-01")).Entry);
    }
}
