using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.Fhir.Access;
using Gateway.Fhir.Measures;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Hangfire;

namespace Gateway.Jobs.Measures;

/// <summary>
/// On the first of the month, last month's MeasureReports (issue 19, SPEC §10): every Measure for
/// every area (the operators' view) and for each commissioner's area, suppressed, stored under an
/// id made of measure, month and audience. A rerun writes a new version of the same reports, never
/// a second set; subscribers to MeasureReport changes (a commissioner's Subscription) are notified
/// through the outbox as for any write.
/// </summary>
public sealed class MonthlyMeasureReportsJob(MeasureEvaluator evaluator, ResourceStore store, PartnerDirectory partners, TimeProvider clock)
{
    public const string Id = "monthly-measure-reports";

    /// <summary>The audience part of the id of a report of every area.</summary>
    public const string AllAreas = "all";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task<int> RunAsync(CancellationToken ct)
    {
        var lastMonth = clock.GetUtcNow().AddMonths(-1);
        return RunForMonthAsync(lastMonth.Year, lastMonth.Month, ct);
    }

    /// <summary>Makes (or makes again) the reports of one month; returns how many were written.</summary>
    public async Task<int> RunForMonthAsync(int year, int month, CancellationToken ct)
    {
        var start = new DateOnly(year, month, 1);
        var end = start.AddMonths(1).AddDays(-1);
        var audiences = new List<(MeasureScope Scope, string? Commissioner)> { (MeasureScope.Everything, null) };
        audiences.AddRange(partners.Partners.Where(p => p.Kind == PartnerKinds.Commissioner).Select(p => (MeasureScope.ForCommissioner(p), (string?)p.Id)));
        var now = clock.GetUtcNow();
        var reports = new List<Hl7.Fhir.Model.MeasureReport>();
        foreach (var (scope, commissioner) in audiences)
        {
            foreach (var figures in await evaluator.EvaluateAsync(MeasureCatalog.All, start, end, scope, suppress: true, ct))
            {
                var report = MeasureReportBuilder.Build(figures, now, commissioner);
                report.Id = ReportId(figures.Measure.Id, start, commissioner ?? AllAreas);
                reports.Add(report);
            }
        }

        await store.WriteAsync(async writer =>
        {
            foreach (var report in reports)
            {
                await writer.UpdateAsync(report, null, ct);
            }

            return reports.Count;
        }, ct);
        return reports.Count;
    }

    /// <summary>e.g. <c>referrals-received-2026-11-walsall-icb</c>; hashed where a long partner id would pass FHIR's 64 characters.</summary>
    public static string ReportId(string measure, DateOnly month, string audience)
    {
        var id = $"{measure}-{month.ToString("yyyy-MM", CultureInfo.InvariantCulture)}-{audience}";
        return id.Length <= 64 ? id : id[..47] + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..16];
    }
}
