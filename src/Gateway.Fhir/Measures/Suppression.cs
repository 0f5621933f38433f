namespace Gateway.Fhir.Measures;

/// <summary>
/// Small-number suppression (issue 19, SPEC §10), on everything a commissioner sees and, unless
/// configured otherwise, what operators see:
/// <list type="bullet">
/// <item>a count from 1 to 4 is suppressed (0 is shown: nobody is in it);</item>
/// <item>a numerator whose complement (denominator minus numerator) is 1 to 4 is suppressed where
/// the denominator is shown, as it would give the complement away;</item>
/// <item>within each stratifier, whose strata add up to the shown total, a lone suppressed stratum,
/// or suppressed strata adding up to 1 to 4, would be revealed by subtraction: the smallest shown
/// stratum is suppressed too (the complementary cell), until that is no longer so; where no
/// stratum is left to suppress, the total is;</item>
/// <item>a median or mean needs at least <see cref="MinimumForStatistic"/> people, and is not shown
/// when a count it rests on is suppressed; a proportion needs both its counts shown.</item>
/// </list>
/// A pure function over the figures, so every rule is tested without a database.
/// </summary>
public static class Suppression
{
    public const int SmallestShown = 5;
    public const int MinimumForStatistic = 10;

    public static void Apply(GroupFigures group)
    {
        // Denominators first: whether a numerator's complement shows depends on its denominator being shown.
        foreach (var population in group.Populations)
        {
            foreach (var cell in group.Cells.Where(c => IsSmall(c.Count(population))))
            {
                cell.Suppressed.Add(population);
            }

            if (population == MeasurePopulations.Numerator)
            {
                foreach (var cell in group.Cells.Where(c => c.IsShown(MeasurePopulations.Denominator)
                                                            && IsSmall(c.Count(MeasurePopulations.Denominator) - c.Count(MeasurePopulations.Numerator))))
                {
                    cell.Suppressed.Add(population);
                }
            }

            foreach (var strata in group.Strata.GroupBy(c => c.Stratifier))
            {
                Complement(group.Total, strata.ToList(), population);
            }
        }

        foreach (var cell in group.Cells)
        {
            cell.StatisticWithheld = Withheld(group, cell);
        }
    }

    public static bool IsSmall(long count) => count is >= 1 and < SmallestShown;

    private static void Complement(MeasureCell total, List<MeasureCell> strata, string population)
    {
        while (true)
        {
            var hidden = strata.Where(c => !c.IsShown(population)).ToList();
            var hiddenSum = hidden.Sum(c => c.Count(population));
            // Nothing to protect: none hidden, or only zeros (hidden for a complement whose denominator is hidden too), or several adding up to 5 or more.
            if (!total.IsShown(population) || hiddenSum == 0 || (hidden.Count > 1 && !IsSmall(hiddenSum)))
            {
                return;
            }

            var next = strata.Where(c => c.IsShown(population) && c.Count(population) > 0)
                .OrderBy(c => c.Count(population)).ThenBy(c => c.Stratum, StringComparer.Ordinal).FirstOrDefault();
            if (next is null)
            {
                total.Suppressed.Add(population);
                return;
            }

            next.Suppressed.Add(population);
        }
    }

    private static string? Withheld(GroupFigures group, MeasureCell cell)
    {
        var populations = group.Populations;
        if (populations.Any(p => !cell.IsShown(p)))
        {
            return "suppressed";
        }

        return group.Group.Scoring is GroupScoring.Median or GroupScoring.MeanChange && cell.Count(MeasurePopulations.Measure) < MinimumForStatistic
            ? $"n<{MinimumForStatistic}"
            : null;
    }
}
