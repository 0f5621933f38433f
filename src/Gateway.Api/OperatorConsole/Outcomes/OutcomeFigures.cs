using Gateway.Fhir.Measures;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// The evaluated Measures (MeasureEvaluator, as $evaluate-measure computes them) read cell by cell
/// for the outcomes page's charts: a count, a score or an interval for the whole period or one
/// stratum, null where suppression withholds it. A stratum without a cell counted nobody: 0.
/// </summary>
internal sealed class OutcomeFigures(IReadOnlyList<MeasureFigures> figures)
{
    private readonly Dictionary<string, GroupFigures> _groups =
        figures.SelectMany(f => f.Groups).ToDictionary(g => g.Group.Code, StringComparer.Ordinal);

    public IReadOnlyList<MeasureFigures> All { get; } = figures;

    public bool IsSuppressed => All.Any(f => f.IsSuppressed);

    /// <summary>The strata of a stratifier that any group counted, in the reports' order.</summary>
    public IReadOnlyList<string> Strata(string stratifier) =>
        _groups.Values.SelectMany(g => g.Strata).Where(c => c.Stratifier == stratifier).Select(c => c.Stratum!).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>A group's count of a population (its main one when not named), or null where suppressed.</summary>
    public double? Count(string group, string? stratifier = null, string? stratum = null, string? population = null)
    {
        var figures = _groups[group];
        population ??= figures.Populations[^1];
        return Cell(figures, stratifier, stratum) is not { } cell ? 0
            : cell.IsShown(population) ? cell.Count(population)
            : null;
    }

    /// <summary>A proportion in per cent, a median in days or a mean change; null where withheld or nobody is in it.</summary>
    public double? Score(string group, string? stratifier = null, string? stratum = null)
    {
        var figures = _groups[group];
        if (Cell(figures, stratifier, stratum) is not { } cell || MeasureScores.Value(figures, cell) is not { } value)
        {
            return null;
        }

        return figures.Group.Scoring == GroupScoring.Proportion ? Math.Round(value * 100, 1) : value;
    }

    /// <summary>A mean change with its 95 % confidence interval and the people it rests on (null where suppressed).</summary>
    public (double? Mean, double? Low, double? High, int? People) Change(string group, string? stratifier = null, string? stratum = null)
    {
        var figures = _groups[group];
        if (Cell(figures, stratifier, stratum) is not { } cell)
        {
            return (null, null, null, 0);
        }

        var interval = MeasureScores.Interval(figures, cell);
        var people = cell.IsShown(MeasurePopulations.Measure) ? (int?)cell.Count(MeasurePopulations.Measure) : null;
        return (MeasureScores.Value(figures, cell), interval?.Low, interval?.High, people);
    }

    private static MeasureCell? Cell(GroupFigures group, string? stratifier, string? stratum) =>
        stratifier is null ? group.Total : group.Strata.FirstOrDefault(c => c.Stratifier == stratifier && c.Stratum == stratum);
}
