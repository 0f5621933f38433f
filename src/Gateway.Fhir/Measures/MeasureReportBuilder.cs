using System.Globalization;
using Gateway.Fhir.Conformance;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Measures;

/// <summary>
/// Evaluated figures as a FHIR R4 MeasureReport (type summary): a group per measure group, its
/// populations and score, and a stratifier per stratification. A suppressed count has no value
/// and a data-absent-reason of <c>masked</c>; a withheld score likewise; a mean change carries its
/// 95 % confidence interval in the gateway's confidence-interval extension (R4 has no element for it).
/// </summary>
public static class MeasureReportBuilder
{
    public const string DataAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    public const string ConfidenceInterval = GatewayGuide.CanonicalBase + "/StructureDefinition/confidence-interval";

    /// <summary>The commissioner a stored report was made for: the audience of it (Access/Audience.sql).</summary>
    public const string Commissioner = GatewayGuide.CanonicalBase + "/StructureDefinition/measurereport-commissioner";

    public static MeasureReport Build(MeasureFigures figures, DateTimeOffset now, string? commissionerId = null)
    {
        var report = new MeasureReport
        {
            Status = MeasureReport.MeasureReportStatus.Complete,
            Type = MeasureReport.MeasureReportType.Summary,
            Measure = figures.Measure.Url,
            Date = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Period = new Period(new FhirDateTime(Date(figures.PeriodStart)), new FhirDateTime(Date(figures.PeriodEnd))),
            ImprovementNotation = figures.Measure.Id == "wellbeing-change"
                ? new CodeableConcept("http://terminology.hl7.org/CodeSystem/measure-improvement-notation", "increase") : null,
        };
        if (commissionerId is not null)
        {
            report.Extension.Add(new Extension(Commissioner, new ResourceReference($"Organization/{commissionerId}")));
        }

        foreach (var group in figures.Groups)
        {
            var component = new MeasureReport.GroupComponent
            {
                Code = new CodeableConcept(MeasureCatalog.GroupSystem, group.Group.Code, group.Group.Display),
                Population = Populations(group, group.Total),
                MeasureScore = Score(group, group.Total),
            };
            foreach (var stratifier in group.Strata.GroupBy(c => c.Stratifier!))
            {
                component.Stratifier.Add(new MeasureReport.StratifierComponent
                {
                    Code = [new CodeableConcept(MeasureCatalog.StratifierSystem, stratifier.Key)],
                    Stratum = stratifier.Select(cell => new MeasureReport.StratifierGroupComponent
                    {
                        Value = new CodeableConcept { Text = cell.Stratum },
                        Population = Populations(group, cell).Select(p => new MeasureReport.StratifierGroupPopulationComponent
                        {
                            Code = p.Code,
                            CountElement = p.CountElement,
                        }).ToList(),
                        MeasureScore = Score(group, cell),
                    }).ToList(),
                });
            }

            report.Group.Add(component);
        }

        return report;
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<MeasureReport.PopulationComponent> Populations(GroupFigures group, MeasureCell cell) =>
        group.Populations.Select(p => new MeasureReport.PopulationComponent
        {
            Code = new CodeableConcept(MeasureCatalog.PopulationSystem, p),
            CountElement = cell.IsShown(p) ? new Integer((int)cell.Count(p)) : Masked<Integer>(),
        }).ToList();

    private static Quantity? Score(GroupFigures group, MeasureCell cell)
    {
        if (group.Group.Scoring == GroupScoring.Cohort)
        {
            return null;
        }

        var value = MeasureScores.Value(group, cell);
        if (value is null)
        {
            return cell.StatisticWithheld is null && group.Group.Scoring == GroupScoring.Proportion ? null : Masked<Quantity>();
        }

        var (unit, code) = group.Group.Scoring switch
        {
            GroupScoring.Proportion => ("proportion", "1"),
            GroupScoring.Median => ("days", "d"),
            _ => ("score points", "{score}"),
        };
        var score = new Quantity((decimal)value.Value, code, "http://unitsofmeasure.org") { Unit = unit };
        if (MeasureScores.Interval(group, cell) is { } interval)
        {
            score.Extension.Add(new Extension(ConfidenceInterval, new Hl7.Fhir.Model.Range
            {
                Low = new Quantity((decimal)interval.Low, code, "http://unitsofmeasure.org") { Unit = unit },
                High = new Quantity((decimal)interval.High, code, "http://unitsofmeasure.org") { Unit = unit },
            }));
        }

        return score;
    }

    private static T Masked<T>() where T : DataType, new()
    {
        var absent = new T();
        absent.Extension.Add(new Extension(DataAbsentReason, new Code("masked")));
        return absent;
    }
}
