using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Measures;

/// <summary>Asks $evaluate-measure and reads the figures out of the MeasureReport as a client would.</summary>
internal static class MeasureReports
{
    public const string DataAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    public const string ConfidenceInterval = "https://interop-gateway.example/fhir/StructureDefinition/confidence-interval";

    public static async Task<MeasureReport> EvaluateAsync(this HttpClient client, string measure, string period)
    {
        using var response = await client.GetAsync($"Measure/{measure}/$evaluate-measure?{period}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"$evaluate-measure of {measure} answered {(int)response.StatusCode}: {body}");
        return FhirHttp.Parse<MeasureReport>(body);
    }

    public static MeasureReport.GroupComponent Group(this MeasureReport report, string code) =>
        report.Group.Single(g => g.Code.Coding[0].Code == code);

    /// <summary>The count of a population for the whole period, or null where it is suppressed (which must then say so).</summary>
    public static int? Count(this MeasureReport.GroupComponent group, string population = "initial-population") =>
        Shown(group.Population.Single(p => p.Code.Coding[0].Code == population).CountElement);

    public static MeasureReport.StratifierGroupComponent? Stratum(this MeasureReport.GroupComponent group, string stratifier, string value) =>
        group.Stratifier.SingleOrDefault(s => s.Code[0].Coding[0].Code == stratifier)?.Stratum.SingleOrDefault(s => s.Value.Text == value);

    public static int? Count(this MeasureReport.StratifierGroupComponent stratum, string population = "initial-population") =>
        Shown(stratum.Population.Single(p => p.Code.Coding[0].Code == population).CountElement);

    public static bool IsMasked(Element? element) =>
        element?.Extension.Any(e => e.Url == DataAbsentReason && e.Value is Code { Value: "masked" }) == true;

    public static (decimal Low, decimal High)? Interval(Quantity? score) =>
        score?.GetExtension(ConfidenceInterval)?.Value is Hl7.Fhir.Model.Range range ? (range.Low.Value!.Value, range.High.Value!.Value) : null;

    private static int? Shown(Integer? count)
    {
        if (count?.Value is { } value)
        {
            return value;
        }

        Assert.True(IsMasked(count), "A count without a value must carry data-absent-reason 'masked'.");
        return null;
    }
}
