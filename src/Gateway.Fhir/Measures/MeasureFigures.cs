namespace Gateway.Fhir.Measures;

/// <summary>
/// One cell of a report: a group's figures for the whole period (no stratifier) or for one
/// stratum. Counts per population code (initial-population, numerator, denominator,
/// measure-population); a statistic (median days, mean change with its spread) where the group
/// has one. <see cref="Suppression"/> marks what may not be shown.
/// </summary>
public sealed class MeasureCell(string? stratifier, string? stratum)
{
    public string? Stratifier { get; } = stratifier;

    public string? Stratum { get; } = stratum;

    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Suppressed { get; } = new(StringComparer.Ordinal);

    /// <summary>The median or mean; null where there is nothing to compute it from.</summary>
    public double? Statistic { get; set; }

    /// <summary>The sample standard deviation of a mean change.</summary>
    public double? StandardDeviation { get; set; }

    /// <summary>Why the statistic is not shown (a count it rests on is suppressed, or too few people), or null.</summary>
    public string? StatisticWithheld { get; set; }

    public long Count(string population) => Counts.GetValueOrDefault(population);

    public bool IsShown(string population) => !Suppressed.Contains(population);
}

/// <summary>A group's cells: the whole period and every stratum, in stratifier order.</summary>
public sealed class GroupFigures(MeasureGroup group)
{
    public MeasureGroup Group { get; } = group;

    public MeasureCell Total { get; } = new(null, null);

    public List<MeasureCell> Strata { get; } = [];

    public IEnumerable<MeasureCell> Cells => Strata.Prepend(Total);

    public IReadOnlyList<string> Populations => Group.Scoring switch
    {
        GroupScoring.Cohort => [MeasurePopulations.Initial],
        GroupScoring.Proportion => [MeasurePopulations.Denominator, MeasurePopulations.Numerator],
        _ => [MeasurePopulations.Measure],
    };

    public MeasureCell Cell(string? stratifier, string? stratum)
    {
        if (stratifier is null)
        {
            return Total;
        }

        var cell = Strata.FirstOrDefault(c => c.Stratifier == stratifier && c.Stratum == stratum);
        if (cell is null)
        {
            cell = new MeasureCell(stratifier, stratum);
            Strata.Add(cell);
        }

        return cell;
    }
}

/// <summary>A Measure evaluated for a period and a scope.</summary>
public sealed record MeasureFigures(MeasureDefinition Measure, DateOnly PeriodStart, DateOnly PeriodEnd, IReadOnlyList<GroupFigures> Groups, bool IsSuppressed);

/// <summary>FHIR R4 measure-population codes.</summary>
public static class MeasurePopulations
{
    public const string Initial = "initial-population";
    public const string Numerator = "numerator";
    public const string Denominator = "denominator";
    public const string Measure = "measure-population";
}
