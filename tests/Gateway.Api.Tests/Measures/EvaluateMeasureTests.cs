using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Measures;

/// <summary>
/// Issue 19: $evaluate-measure on a store with known numbers (<see cref="MeasuresGateway"/>):
/// every Measure's figures, the strata, small-number suppression, the confidence interval, and
/// who may count what.
/// </summary>
public sealed class EvaluateMeasureTests(MeasuresGateway gateway) : IClassFixture<MeasuresGateway>
{
    [Fact]
    public async System.Threading.Tasks.Task The_commissioner_counts_the_referrals_of_its_area_by_every_stratifier()
    {
        var report = await gateway.Commissioner.EvaluateAsync("referrals-received", gateway.Period);

        var received = report.Group("received");
        Assert.Equal("https://interop-gateway.example/fhir/Measure/referrals-received", report.Measure);
        Assert.Equal(MeasureReport.MeasureReportType.Summary, report.Type);
        Assert.Equal(16, received.Count());
        Assert.Equal(16, received.Stratum("month", gateway.Referred.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))!.Count());
        Assert.Equal(16, received.Stratum("practice", TestPartners.Gp)!.Count());
        Assert.Equal(16, received.Stratum("provider", TestPartners.Housing)!.Count());
        Assert.Equal(16, received.Stratum("area", "WS2")!.Count());
        Assert.Equal(16, received.Stratum("age-band", "75+")!.Count());
        Assert.Null(received.Stratum("area", "WS1"));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_cell_of_three_is_suppressed_and_so_is_the_cell_that_would_reveal_it_through_the_total()
    {
        var received = (await gateway.Commissioner.EvaluateAsync("referrals-received", gateway.Period)).Group("received");

        Assert.Equal(16, received.Count());
        Assert.Null(received.Stratum("sex", "male")!.Count()); // 3
        Assert.Null(received.Stratum("sex", "female")!.Count()); // 13 = 16 - 3 would give the 3 away
    }

    [Fact]
    public async System.Threading.Tasks.Task An_operator_counts_every_area_with_the_same_suppression()
    {
        var received = (await gateway.Operator.EvaluateAsync("referrals-received", gateway.Period)).Group("received");

        Assert.Equal(18, received.Count());
        Assert.Null(received.Stratum("area", "WS1")!.Count()); // 2
        Assert.Null(received.Stratum("area", "WS2")!.Count()); // 16 = 18 - 2
    }

    [Fact]
    public async System.Threading.Tasks.Task A_numerator_is_suppressed_when_its_complement_is_a_small_number()
    {
        var accepted = (await gateway.Commissioner.EvaluateAsync("referrals-accepted", gateway.Period)).Group("accepted");

        Assert.Equal(16, accepted.Count("denominator"));
        Assert.Null(accepted.Count("numerator")); // 13 accepted: 16 - 13 = 3 not accepted
        Assert.True(MeasureReports.IsMasked(accepted.MeasureScore), "The proportion would give the numerator away.");
    }

    [Fact]
    public async System.Threading.Tasks.Task First_contact_within_14_days_and_the_median_days_to_it()
    {
        var report = await gateway.Commissioner.EvaluateAsync("first-contact", gateway.Period);

        var within = report.Group("contact-within-14-days");
        Assert.Equal(10, within.Count("numerator"));
        Assert.Equal(16, within.Count("denominator"));
        Assert.Equal(0.625m, within.MeasureScore.Value);
        var days = report.Group("days-to-first-contact");
        Assert.Equal(12, days.Count("measure-population"));
        Assert.Equal(3m, Math.Round(days.MeasureScore.Value!.Value, 1)); // ten on day 3, two on day 20
        Assert.Equal("d", days.MeasureScore.Code);
    }

    [Fact]
    public async System.Threading.Tasks.Task Completed_declined_cancelled_failed_and_sla_breaches()
    {
        var completed = (await gateway.Commissioner.EvaluateAsync("referrals-completed", gateway.Period)).Group("completed");
        var closed = await gateway.Commissioner.EvaluateAsync("referrals-closed", gateway.Period);
        var breaches = (await gateway.Commissioner.EvaluateAsync("sla-breaches", gateway.Period)).Group("sla-breach");

        Assert.Equal(5, completed.Count("numerator"));
        Assert.Equal(0.3125m, completed.MeasureScore.Value);
        Assert.Null(closed.Group("declined").Count()); // 3
        Assert.Null(closed.Group("declined").Stratum("reason", "no-capacity")!.Count());
        Assert.Equal(0, closed.Group("cancelled").Count());
        Assert.Equal(0, closed.Group("failed").Count());
        Assert.Equal(0, breaches.Count("numerator"));
        Assert.Equal(0m, breaches.MeasureScore.Value);
    }

    [Fact]
    public async System.Threading.Tasks.Task Wellbeing_change_has_its_mean_and_a_95_percent_confidence_interval_as_computed_by_hand()
    {
        var report = await gateway.Commissioner.EvaluateAsync("wellbeing-change", gateway.Period);

        // Changes 1 2 3 0 2 1 4 2 3 2: mean 2, sd = sqrt(12/9) = 1.1547, se = 0.36515, t(0.975, 9) = 2.26216, half-width 0.82603.
        var satisfied = report.Group("ons4-satisfied");
        Assert.Equal(10, satisfied.Count("measure-population"));
        Assert.Equal(2m, satisfied.MeasureScore.Value);
        Assert.Equal((1.17m, 2.83m), MeasureReports.Interval(satisfied.MeasureScore));
        Assert.Equal((1m, 1m), MeasureReports.Interval(report.Group("ons4-worthwhile").MeasureScore));
        Assert.Equal(0m, report.Group("ons4-happy").MeasureScore.Value);
        Assert.Equal(2m, satisfied.Stratum("sex", "female")!.MeasureScore.Value);
        var noData = report.Group("positive-health-participation");
        Assert.Equal(0, noData.Count("measure-population"));
        Assert.True(MeasureReports.IsMasked(noData.MeasureScore), "A mean of nobody is not shown.");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_period_without_paired_measurements_shows_no_mean()
    {
        var report = await gateway.Commissioner.EvaluateAsync("wellbeing-change", "periodStart=2001-01-01&periodEnd=2001-12-31");

        var satisfied = report.Group("ons4-satisfied");
        Assert.Equal(0, satisfied.Count("measure-population"));
        Assert.True(MeasureReports.IsMasked(satisfied.MeasureScore));
    }

    [Fact]
    public async System.Threading.Tasks.Task Other_partners_count_only_what_they_may_see_and_another_area_counts_nothing()
    {
        Assert.Equal(18, (await gateway.Gp.EvaluateAsync("referrals-received", gateway.Period)).Group("received").Count());
        Assert.Equal(0, (await gateway.OtherGp.EvaluateAsync("referrals-received", gateway.Period)).Group("received").Count());
        Assert.Equal(0, (await gateway.Municipality.EvaluateAsync("referrals-received", gateway.Period)).Group("received").Count());
    }

    [Fact]
    public async System.Threading.Tasks.Task The_commissioner_gets_404_on_every_person_level_resource_of_its_area()
    {
        foreach (var (patient, request, task, measures) in gateway.InArea)
        {
            foreach (var reference in new[] { $"Patient/{patient}", $"ServiceRequest/{request}", $"Task/{task}" }.Concat(measures.Select(m => $"QuestionnaireResponse/{m}")))
            {
                using var response = await gateway.Commissioner.GetAsync(reference);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{reference}: {(int)response.StatusCode}");
            }
        }

        foreach (var type in new[] { "Patient", "ServiceRequest", "Task", "QuestionnaireResponse", "Consent", "Provenance", "AuditEvent" })
        {
            Assert.Empty((await gateway.Commissioner.SearchAsync($"{type}?_count=100")).Entry);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Accept_text_csv_gives_the_same_figures_with_small_numbers_as_less_than_five()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"Measure/$evaluate-measure?measure=referrals-received&{gateway.Period}");
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await gateway.Commissioner.SendAsync(request);
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("measure,period_start,period_end,group,stratifier,stratum,count,numerator,denominator,score,ci_low,ci_high", lines[0]);
        Assert.StartsWith("referrals-received,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",received,,,16,,,,,", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.EndsWith(",received,sex,male,<5,,,,,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(",received,sex,female,<5,,,,,", StringComparison.Ordinal));
    }

    [Fact]
    public async System.Threading.Tasks.Task Without_a_measure_every_measure_is_evaluated_into_a_collection_bundle()
    {
        var bundle = await (await gateway.Commissioner.GetAsync($"Measure/$evaluate-measure?{gateway.Period}")).ReadResourceAsync<Bundle>();

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Equal(7, bundle.Entry.Count);
        Assert.All(bundle.Entry, e => Assert.IsType<MeasureReport>(e.Resource));
    }

    [Theory]
    [InlineData("Measure/referrals-received/$evaluate-measure?periodEnd=2026-12-31", "periodStart")]
    [InlineData("Measure/referrals-received/$evaluate-measure?periodStart=2026-12-01&periodEnd=31-12-2026", "periodEnd")]
    [InlineData("Measure/$evaluate-measure?measure=nonsense&periodStart=2026&periodEnd=2026", "measure")]
    [InlineData("Measure/referrals-received/$evaluate-measure?periodStart=2026&periodEnd=2026&subject=Patient/x", "subject")]
    public async System.Threading.Tasks.Task A_bad_parameter_is_400_naming_it(string url, string parameter)
    {
        using var response = await gateway.Commissioner.GetAsync(url);
        var outcome = await response.ReadOutcomeAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, outcome.Issue[0].Expression);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_unknown_measure_is_404()
    {
        using var response = await gateway.Commissioner.GetAsync("Measure/nonsense/$evaluate-measure?periodStart=2026&periodEnd=2026");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
