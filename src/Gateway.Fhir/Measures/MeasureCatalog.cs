using Gateway.Fhir.Conformance;

namespace Gateway.Fhir.Measures;

/// <summary>How a group of a Measure is scored (FHIR R4 measure-scoring).</summary>
public enum GroupScoring
{
    /// <summary>A count of referrals: initial-population.</summary>
    Cohort,

    /// <summary>numerator / denominator, both counts of referrals.</summary>
    Proportion,

    /// <summary>The median of a measure-observation (days to first contact) over the measure-population.</summary>
    Median,

    /// <summary>Mean change, first to last measurement per person, with its 95 % confidence interval.</summary>
    MeanChange,
}

/// <summary>One group of a Measure: its code (CodeSystem measure-group) and how it is scored.</summary>
public sealed record MeasureGroup(string Code, string Display, GroupScoring Scoring);

/// <summary>One Measure of profiles/ (Measure-{Id}.json), as the evaluator computes it.</summary>
public sealed record MeasureDefinition(string Id, string Title, IReadOnlyList<MeasureGroup> Groups, IReadOnlyList<string> Stratifiers)
{
    public string Url => GatewayGuide.Canonical("Measure", Id);
}

/// <summary>
/// The outcome Measures of SPEC §10 and issue 19: what profiles/ describes to people, in the form
/// the evaluator runs. MeasureCatalogTests keeps the two the same.
/// </summary>
public static class MeasureCatalog
{
    public const string GroupSystem = GatewayGuide.CanonicalBase + "/CodeSystem/measure-group";
    public const string StratifierSystem = GatewayGuide.CanonicalBase + "/CodeSystem/measure-stratifier";
    public const string PopulationSystem = "http://terminology.hl7.org/CodeSystem/measure-population";

    /// <summary>Every Measure is stratified by these (issue 19), in this order.</summary>
    public static readonly IReadOnlyList<string> CommonStratifiers = ["month", "practice", "provider", "area", "age-band", "sex"];

    public static readonly IReadOnlyList<string> Ons4Items = ["satisfied", "worthwhile", "happy", "anxious"];

    public static readonly IReadOnlyList<string> PositiveHealthDimensions =
        ["bodily-functions", "mental-wellbeing", "meaningfulness", "quality-of-life", "participation", "daily-functioning"];

    public static readonly IReadOnlyList<MeasureDefinition> All =
    [
        new("referrals-received", "Referrals received", [new("received", "Referrals received", GroupScoring.Cohort)], CommonStratifiers),
        new("referrals-accepted", "Referrals accepted", [new("accepted", "Referrals accepted by the provider", GroupScoring.Proportion)], CommonStratifiers),
        new("first-contact", "First contact within 14 days",
        [
            new("contact-within-14-days", "First contact within 14 days of the referral", GroupScoring.Proportion),
            new("days-to-first-contact", "Median days from referral to first contact", GroupScoring.Median),
        ], CommonStratifiers),
        new("referrals-completed", "Referrals completed", [new("completed", "Referrals completed", GroupScoring.Proportion)], CommonStratifiers),
        new("referrals-closed", "Referrals declined, cancelled and failed, by reason",
        [
            new("declined", "Referrals declined by the provider", GroupScoring.Cohort),
            new("cancelled", "Referrals cancelled", GroupScoring.Cohort),
            new("failed", "Referrals failed", GroupScoring.Cohort),
        ], [.. CommonStratifiers, "reason"]),
        new("sla-breaches", "SLA breaches", [new("sla-breach", "Referrals that were overdue for acceptance or for an update", GroupScoring.Proportion)], CommonStratifiers),
        new("wellbeing-change", "Wellbeing change, first to last measurement",
        [
            .. Ons4Items.Select(i => new MeasureGroup("ons4-" + i, $"ONS4 {i}: change from first to last score", GroupScoring.MeanChange)),
            .. PositiveHealthDimensions.Select(d => new MeasureGroup("positive-health-" + d, $"Positive health, {d}: change from first to last score", GroupScoring.MeanChange)),
        ], CommonStratifiers),
    ];

    /// <summary>A Measure by id, by canonical url (with or without |version), or null.</summary>
    public static MeasureDefinition? Find(string idOrUrl)
    {
        var url = GatewayGuide.WithoutVersion(idOrUrl);
        return All.FirstOrDefault(m => m.Id == idOrUrl || m.Url == url);
    }
}
