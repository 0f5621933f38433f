namespace Gateway.Fhir.Measures;

/// <summary>The score a cell shows, rounded as reported (proportions to 4 places, days and score changes to 2), or null where withheld or undefined.</summary>
public static class MeasureScores
{
    public static double? Value(GroupFigures group, MeasureCell cell)
    {
        if (cell.StatisticWithheld is not null)
        {
            return null;
        }

        return group.Group.Scoring switch
        {
            GroupScoring.Proportion when cell.Count(MeasurePopulations.Denominator) > 0 =>
                Math.Round((double)cell.Count(MeasurePopulations.Numerator) / cell.Count(MeasurePopulations.Denominator), 4),
            GroupScoring.Median or GroupScoring.MeanChange when cell.Statistic is { } statistic => Math.Round(statistic, 2),
            _ => null,
        };
    }

    /// <summary>The 95 % confidence interval of a shown mean change, rounded to 2 places.</summary>
    public static (double Low, double High)? Interval(GroupFigures group, MeasureCell cell)
    {
        if (group.Group.Scoring != GroupScoring.MeanChange || cell.StatisticWithheld is not null || cell.Statistic is not { } mean
            || cell.StandardDeviation is not { } sd || cell.Count(MeasurePopulations.Measure) < 2)
        {
            return null;
        }

        var (low, high) = StudentT.Interval95(mean, sd, cell.Count(MeasurePopulations.Measure));
        return (Math.Round(low, 2), Math.Round(high, 2));
    }
}
